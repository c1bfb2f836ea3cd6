/**
 * Whether a citation points at something its source document has (`policy validate`). A pack
 * cites "000_c0d212b149d080fa.txt ¶12" or "003_fbe064539c50cc36.txt §6 Adolescent Support Teams
 * (AST), Transfers to 18+ Team"; a reader who follows it must land on that paragraph or heading, and
 * a heading renamed or a paragraph renumbered must not go unnoticed. Text in, result out: the
 * caller reads the files (load-policy-pack.ts).
 *
 * A citation (its file name already taken off) is a list of parts, separated by "," ";" or " and "
 * outside brackets and quotes. Each part is one anchor:
 *
 * - `¶12`, `¶2–¶8`: a numbered paragraph (000). `§6`: a numbered section (001, 003). Both are the
 *   document's top-level numbering: the lines "1. …", "2. …" taken in order, so that a numbered
 *   list inside a section (003 §7 has "1. What we are worried about") is not taken for a section;
 * - `§6 <name>`: a heading inside section 6, or the section's own title ("§2 Process");
 * - a heading's name ("Key Principles", "Case Transfer Flowchart", "Transfers to 18+ Team"): its
 *   opening words. A heading that spells out an abbreviation, "Children in Care (CIC) Team", may be
 *   cited by it, "CIC Team" or "CIC". After another heading it is looked for further on, inside the
 *   same section: "§6 CIC, Transfers to 18+ Team" finds the first 18+ heading after CIC's, so a
 *   sub-heading cited under a team that has none is found missing, unless a later team has one
 *   (plain text does not say where a team's part ends); "under X" is looked for anywhere in the
 *   section;
 * - `<name> N`, `<name> 2–4`, then bare `N`s ("Principles 2, 8, 11"): item N of a numbered list
 *   directly under the heading (004). The name may also be the initials of the heading's first
 *   words ("BIT": "Brief Intervention Team – Transfer Process"; a small word such as "with" may be
 *   counted or not: "CWD", "SWF") or a word of exactly one heading ("Adoption"). A heading with
 *   several lists is told apart by the words that introduce the list: "Young People Service (from
 *   Social Care Teams) 10";
 * - `step N` (003 §2's numbered table), `row N` (002's transfer-point table, counted under its
 *   header), "<…> table", "opening paragraph" and "closing paragraph";
 * - a quoted phrase “…”: it must be in the text, after the heading or inside the section cited
 *   before it.
 *
 * A parenthesised gloss after an anchor, "row 3 (CAI — ICPC agrees a CIN plan)" or "(18+ Team
 * notified at 17 ½)", describes it and is not checked, except a quoted phrase inside it. Names and
 * phrases are compared ignoring case, spacing, Markdown emphasis, Word bookmarks, curly or straight
 * quotes and the kind of dash. Where a heading carries a comma or " and " ("Transfers to Adult
 * Social Care and Health (ASCH)"), the longest run of parts that names something wins.
 */

/** A source document, read once and indexed for citations to be checked against it. */
export interface SourceDocument {
  /** Its file name, as the pack's `source` gives it. */
  readonly name: string;
  readonly lines: readonly SourceLine[];
  /** The line index of top-level number 1, 2, 3 … (¶ or §): `numbered[n - 1]`. */
  readonly numbered: readonly number[];
  /** The whole text as compared (see `normalise`), and where each line starts in it. */
  readonly text: string;
  readonly lineStart: readonly number[];
}

export interface SourceLine {
  /** The line's words without markup or leading number; "" for a blank line. */
  readonly words: string;
  /** `words` as compared. */
  readonly norm: string;
  /** "7. …", or a table cell holding only "7" (003 §2's steps). */
  readonly number?: number;
  /** Starts with a tab: a table cell (002, 003). */
  readonly cell: boolean;
  readonly bullet: boolean;
  /** The forms a citation may name it by, when the line is a heading. */
  readonly headingForms?: readonly string[];
}

/** One anchor of a citation that the document does not have. */
export interface UnresolvedAnchor {
  /** As the citation writes it: "Foo", "¶99", "BIT 9", "“no such words”". */
  anchor: string;
  /** Why, ending the sentence "… names X, which …": "is not a heading of 003_….txt". */
  reason: string;
}

export function sourceDocument(name: string, text: string): SourceDocument {
  const rawLines = text.split(/\r?\n/);
  const markdown = rawLines.some((raw) => /^\s*#{1,6}\s/.test(raw));
  const lines = rawLines.map((raw) => readLine(raw, markdown));
  const numbered: number[] = [];
  lines.forEach((line, i) => {
    if (!line.cell && line.number === numbered.length + 1) numbered.push(i);
  });
  const lineStart: number[] = [];
  let offset = 0;
  for (const line of lines) {
    lineStart.push(offset);
    offset += line.norm.length + 1;
  }
  return { name, lines, numbered, text: lines.map((l) => l.norm).join(' '), lineStart };
}

/** The anchors of `reference` (a citation without its file name) that `document` does not have; [] when it resolves. */
export function unresolvedAnchors(document: SourceDocument, reference: string): UnresolvedAnchor[] {
  if (reference.trim() === '') return [{ anchor: '', reason: `names no paragraph, section or heading of ${document.name}` }];
  const segments = splitParts(reference);
  const missing: UnresolvedAnchor[] = [];
  let state: State = { scope: { from: 0, to: document.lines.length }, cursor: 0 };
  let i = 0;
  while (i < segments.length) {
    let accepted = false;
    // Longest first: a heading may itself contain a separator.
    for (let j = segments.length - 1; j >= i && !accepted; j--) {
      const outcome = resolvePart(document, joinParts(segments, i, j), state);
      if (outcome.resolved) {
        missing.push(...outcome.missing);
        state = outcome.state;
        i = j + 1;
        accepted = true;
      }
    }
    if (!accepted) {
      missing.push(...resolvePart(document, segments[i].text, state).missing);
      i++;
    }
  }
  return missing;
}

/** The sentence a problem reports: `citation "…" names "Foo", which is not a heading of 003_….txt`. */
export function describeUnresolved(citation: string, unresolved: UnresolvedAnchor): string {
  return unresolved.anchor === '' ? `citation "${citation}" ${unresolved.reason}` : `citation "${citation}" names "${unresolved.anchor}", which ${unresolved.reason}`;
}

/** What comparisons see: no case, markup or bookmarks; one kind of quote, apostrophe, dash and space. */
function normalise(text: string): string {
  return stripMarkup(text)
    .replace(/[‘’ʼ′`]/g, "'")
    .replace(/[“”„″]/g, '"')
    .replace(/[‐‑‒–—―−]/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Reading the document

/** Word's bookmarks ("[bookmark: _Hlk…]"), HTML bold, Markdown's heading marks and emphasis. */
function stripMarkup(text: string): string {
  return text
    .replace(/\[bookmark:[^\]]*\]/g, '')
    .replace(/<\/?b>/g, '')
    .replace(/^\s*#{1,6}\s*/, '')
    .replace(/\*/g, '');
}

function readLine(raw: string, markdown: boolean): SourceLine {
  const plain = stripMarkup(raw).trim();
  const cell = raw.startsWith('\t');
  const bullet = /^[·•\-–]\s/.test(plain);
  const numberedItem = /^(\d+)\.\s+(.*)$/.exec(plain) ?? (cell ? /^(\d+)()$/.exec(plain) : null);
  const words = numberedItem ? numberedItem[2].trim() : plain;
  // Markdown marks its headings; in plain text a heading is a short line of its own that is not a
  // sentence: no bullet, no table cell, no closing full stop.
  const heading = markdown
    ? /^\s*#{1,6}\s/.test(raw)
    : words !== '' && /[A-Za-z]/.test(words) && !cell && !bullet && words.length <= 200 && !words.endsWith('.');
  return {
    words,
    norm: normalise(plain),
    ...(numberedItem ? { number: Number(numberedItem[1]) } : {}),
    cell,
    bullet,
    ...(heading ? { headingForms: headingForms(words) } : {}),
  };
}

/** The heading as written, and with each "Long Name (ABBR)" shortened to "ABBR". */
function headingForms(words: string): string[] {
  const trim = (s: string) => normalise(s).replace(/[\s:.,;]+$/, '');
  return [...new Set([trim(words), trim(collapseAbbreviations(words))])];
}

function collapseAbbreviations(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(/\(([A-Z][A-Za-z&+]*[A-Z])\)/g)) {
    const before = text.slice(last, match.index);
    const tokens = [...before.matchAll(/[A-Za-z][\w'’]*/g)];
    let start: number | undefined;
    for (let k = 1; k <= Math.min(8, tokens.length) && start === undefined; k++) {
      if (isInitialism(match[1], tokens.slice(-k).map((t) => t[0]))) start = tokens[tokens.length - k].index;
    }
    out += start === undefined ? before + match[0] : before.slice(0, start) + match[1];
    last = match.index + match[0].length;
  }
  return out + text.slice(last);
}

const SMALL_WORDS = new Set(['a', 'an', 'and', 'at', 'for', 'in', 'of', 'on', 'or', 'the', 'to', 'with']);

/** "ASCH" is Adult Social Care and Health; a small word may count ("CWD": Children with Disabilities) or not ("SWF": Social Work with Families). */
function isInitialism(abbreviation: string, words: readonly string[]): boolean {
  const letters = abbreviation.toLowerCase();
  const from = (i: number, j: number): boolean => {
    if (j === words.length) return i === letters.length;
    const word = words[j].toLowerCase();
    return (i < letters.length && word[0] === letters[i] && from(i + 1, j + 1)) || (SMALL_WORDS.has(word) && from(i, j + 1));
  };
  return from(0, 0);
}

// ---------------------------------------------------------------------------------------------
// Reading the citation

interface Segment {
  text: string;
  /** The separator before it, as written (", ", "; ", " and "); "" for the first. */
  separator: string;
}

/** Splits at "," ";" and " and ", never inside brackets or a quoted phrase (which may hold commas). */
function splitParts(reference: string): Segment[] {
  const segments: Segment[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  let separator = '';
  for (let i = 0; i < reference.length; i++) {
    const c = reference[i];
    if (c === '“') quoted = true;
    else if (c === '”') quoted = false;
    else if (c === '"') quoted = !quoted;
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    if (quoted || depth > 0) continue;
    const sep = c === ',' || c === ';' ? c : reference.startsWith(' and ', i) ? ' and ' : undefined;
    if (sep === undefined) continue;
    segments.push({ text: reference.slice(start, i).trim(), separator });
    separator = sep === ' and ' ? sep : `${sep} `;
    start = i + sep.length;
    i += sep.length - 1;
  }
  segments.push({ text: reference.slice(start).trim(), separator });
  return segments.filter((s) => s.text !== '');
}

const joinParts = (segments: Segment[], from: number, to: number): string =>
  segments
    .slice(from, to + 1)
    .map((s, k) => (k === 0 ? s.text : `${s.separator}${s.text}`))
    .join('');

// ---------------------------------------------------------------------------------------------
// Resolving one part

interface Scope {
  /** Lines [from, to) of the document. */
  from: number;
  to: number;
  /** "§6", for messages; left out for the whole document. */
  label?: string;
}

interface State {
  scope: Scope;
  /** Headings and phrases are looked for from this line on. */
  cursor: number;
  /** The heading at the cursor, when a heading put it there: the next heading must come after it. */
  heading?: string;
  /** The last `<name> N`, for the bare numbers that follow it ("Principles 2, 8, 11"). */
  points?: { name: string; qualifier?: string };
}

interface Outcome {
  /** The part names something the document has (its quoted phrases are reported in `missing` either way). */
  resolved: boolean;
  state: State;
  missing: UnresolvedAnchor[];
}

function resolvePart(doc: SourceDocument, part: string, state: State): Outcome {
  const text = part.trim();
  const quote = /^[“"]([^“”"]*)[”"]$/.exec(text);
  if (quote) return { resolved: true, state, missing: phraseMissing(doc, quote[1], state) };
  const under = /^under\s+(.+)$/is.exec(text);
  if (under) {
    // "…, under CSWT, CIC, AST and SIS": the heading is in the section, not after the last one.
    const outcome = resolvePart(doc, under[1], { ...state, cursor: state.scope.from, heading: undefined });
    return { ...outcome, state };
  }
  // A trailing "(…)" is first read as part of the name ("Adolescent Support Teams (AST)"), then as a gloss.
  const whole = resolveAnchor(doc, text, state);
  const gloss = trailingGloss(text);
  if (whole.resolved || !gloss) return whole;
  const bare = resolveAnchor(doc, gloss.before, state);
  const quotes = [...gloss.inside.matchAll(/[“"]([^“”"]*)[”"]/g)].map((m) => m[1]);
  return { ...bare, missing: [...bare.missing, ...quotes.flatMap((q) => phraseMissing(doc, q, bare.resolved ? bare.state : state))] };
}

/** "Key Principles (“…”)" → before "Key Principles", inside "“…”"; undefined when the text does not end with ")". */
function trailingGloss(text: string): { before: string; inside: string } | undefined {
  if (!text.endsWith(')')) return undefined;
  let depth = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    if (text[i] === ')') depth++;
    else if (text[i] === '(' && --depth === 0) return { before: text.slice(0, i).trim(), inside: text.slice(i + 1, -1) };
  }
  return undefined;
}

const RANGE = String.raw`(\d+)(?:\s*-\s*(\d+))?`;

function resolveAnchor(doc: SourceDocument, text: string, state: State): Outcome {
  const plain = text.replace(/[‐‑‒–—―−]/g, '-').trim();
  const unchanged = (missing: UnresolvedAnchor[] = []): Outcome => ({ resolved: missing.length === 0, state, missing });
  let m: RegExpExecArray | null;
  if (plain === '') return unchanged();

  if ((m = /^¶\s*(\d+)(?:\s*-\s*¶?\s*(\d+))?$/.exec(plain))) {
    const absent = numbers(m).some((n) => doc.numbered[n - 1] === undefined);
    return unchanged(absent ? [{ anchor: text, reason: `is not ${m[2] ? 'a run of numbered paragraphs' : 'a numbered paragraph'} of ${doc.name}${lastNumber(doc)}` }] : []);
  }

  if ((m = /^§\s*(\d+)\s*(.*)$/s.exec(plain))) {
    const n = Number(m[1]);
    const line = doc.numbered[n - 1];
    if (line === undefined) return unchanged([{ anchor: `§${n}`, reason: `is not a numbered section of ${doc.name}${lastNumber(doc)}` }]);
    const scope = { from: line, to: doc.numbered[n] ?? doc.lines.length, label: `§${n}` };
    const inSection: State = { scope, cursor: line };
    // The rest is read in the section, as written (not dash-normalised): it may be a heading or a quote.
    const rest = text.trim().replace(/^§\s*\d+\s*/, '');
    return rest === '' ? { resolved: true, state: inSection, missing: [] } : resolvePart(doc, rest, inSection);
  }

  if ((m = new RegExp(`^(?:step|point)s?\\s+${RANGE}$`, 'i').exec(plain))) {
    const have = new Set(linesIn(doc, state.scope).flatMap((l) => (l.number === undefined ? [] : [l.number])));
    const absent = numbers(m).some((n) => !have.has(n));
    return unchanged(absent ? [{ anchor: text, reason: `is not ${m[2] ? 'a run of numbered steps' : 'a numbered step'}${inScope(state)} of ${doc.name}` }] : []);
  }

  if ((m = new RegExp(`^rows?\\s+${RANGE}$`, 'i').exec(plain))) {
    const rows = tableRows(doc, state.scope);
    if (rows === undefined) return unchanged([{ anchor: text, reason: `is not in a table: ${doc.name} has none${inScope(state)}` }]);
    const absent = numbers(m).some((n) => n < 1 || n > rows);
    return unchanged(absent ? [{ anchor: text, reason: `is not ${m[2] ? 'a run of rows' : 'a row'} of the table in ${doc.name} (it has ${rows} rows under its header)` }] : []);
  }

  if (/^(?:the\s+)?(?:opening|closing)\s+paragraph$/i.test(plain)) {
    return unchanged(doc.text.trim() === '' ? [{ anchor: text, reason: `is not in ${doc.name}, which is empty` }] : []);
  }

  if (/\btable$/i.test(plain) && !/[,;]/.test(plain)) {
    return unchanged(tableRows(doc, state.scope) === undefined ? [{ anchor: text, reason: `is not a table of ${doc.name}` }] : []);
  }

  if ((m = new RegExp(`^${RANGE}$`).exec(plain))) {
    if (!state.points) return unchanged([{ anchor: text, reason: 'follows no heading with numbered points' }]);
    return pointsOutcome(doc, state.points.name, state.points.qualifier, numbers(m), state);
  }

  const heading = findHeading(doc, text, state);
  if (heading !== undefined) {
    return { resolved: true, state: { ...state, cursor: heading, heading: doc.lines[heading].words, points: undefined }, missing: [] };
  }

  if ((m = new RegExp(`^(.*?\\S)\\s*(?:\\(([^()]*)\\))?\\s+${RANGE}$`, 's').exec(plain))) {
    return pointsOutcome(doc, m[1], m[2], numbers(m, 3), state);
  }

  return unchanged([{ anchor: text, reason: headingReason(doc, text, state) }]);
}

/** The numbers of "12" or "2-8": every one of them must be there. */
function numbers(m: RegExpExecArray, at = 1): number[] {
  const first = Number(m[at]);
  const last = m[at + 1] === undefined ? first : Number(m[at + 1]);
  return Array.from({ length: Math.max(1, last - first + 1) }, (_, k) => first + k);
}

const lastNumber = (doc: SourceDocument): string => (doc.numbered.length ? ` (numbered 1 to ${doc.numbered.length})` : ' (it has no numbered paragraphs)');

const linesIn = (doc: SourceDocument, scope: Scope): readonly SourceLine[] => doc.lines.slice(scope.from, scope.to);

function inScope(state: State): string {
  if (state.heading !== undefined) return ` after “${state.heading}”${state.scope.label ? ` in ${state.scope.label}` : ''}`;
  return state.scope.label ? ` in ${state.scope.label}` : '';
}

// ---------------------------------------------------------------------------------------------
// Headings, numbered points, tables, phrases

/** Whether `form` (a heading as compared) opens with the cited name, word for word; "Principle" names "Principles". */
function opensWith(form: string, name: string): boolean {
  const at = (n: string) => form === n || (form.startsWith(n) && !/[a-z0-9]/.test(form[n.length]));
  return at(name) || at(`${name}s`);
}

/** Whether the line is a heading that `name` (as compared) opens. */
function namesHeading(line: SourceLine, name: string): boolean {
  return name !== '' && line.headingForms !== undefined && line.headingForms.some((form) => opensWith(form, name));
}

/** The line of the first heading the name opens, after the cursor inside the scope. */
function findHeading(doc: SourceDocument, name: string, state: State): number | undefined {
  const n = normalise(name);
  const from = state.heading === undefined ? state.cursor : state.cursor + 1;
  for (let i = from; i < state.scope.to; i++) if (namesHeading(doc.lines[i], n)) return i;
  return undefined;
}

function headingReason(doc: SourceDocument, name: string, state: State): string {
  const n = normalise(name);
  const elsewhere = doc.lines.some((line) => namesHeading(line, n));
  return `is not a heading${elsewhere ? inScope(state) : ''} of ${doc.name}`;
}

/**
 * The headings a `<name> N` may mean, anywhere in the scope: those the name opens; else those whose
 * first words it abbreviates ("BIT", "CWD"); else the one heading that has it as a word ("Adoption").
 */
function pointHeadings(doc: SourceDocument, name: string, scope: Scope): number[] {
  const n = normalise(name);
  const indices = (test: (line: SourceLine) => boolean) =>
    linesIn(doc, scope).flatMap((line, k) => (line.headingForms && test(line) ? [scope.from + k] : []));
  const opened = indices((line) => namesHeading(line, n));
  if (opened.length) return opened;
  if (/^[A-Z][A-Z&+]+$/.test(name)) {
    const abbreviated = indices((line) => {
      const words = [...line.words.matchAll(/[A-Za-z][\w'’]*/g)].map((w) => w[0]);
      return words.some((_, k) => isInitialism(name, words.slice(0, k + 1)));
    });
    if (abbreviated.length) return abbreviated;
  }
  const word = new RegExp(`(^|[^a-z0-9])${escapeRegExp(n)}s?([^a-z0-9]|$)`);
  const containing = indices((line) => (line.headingForms ?? []).some((form) => word.test(form)));
  return containing.length === 1 ? containing : [];
}

interface NumberedList {
  /** The line that introduces it, as compared ("service expectations from social care teams to …"). */
  intro: string;
  numbers: Set<number>;
}

/** The numbered lists directly under a heading, up to the next heading; a "1." starts a new one. */
function listsUnder(doc: SourceDocument, heading: number): NumberedList[] {
  const lists: NumberedList[] = [];
  let intro = doc.lines[heading].norm;
  for (let i = heading + 1; i < doc.lines.length && !doc.lines[i].headingForms; i++) {
    const line = doc.lines[i];
    if (line.number !== undefined && !line.cell) {
      if (line.number === 1 || lists.length === 0) lists.push({ intro, numbers: new Set() });
      lists[lists.length - 1].numbers.add(line.number);
    } else if (line.norm !== '' && !line.bullet) {
      intro = line.norm;
    }
  }
  return lists;
}

function pointsOutcome(doc: SourceDocument, name: string, qualifier: string | undefined, wanted: number[], state: State): Outcome {
  const points = { name, ...(qualifier !== undefined ? { qualifier } : {}) };
  const cited = `${name}${qualifier !== undefined ? ` (${qualifier})` : ''} ${wanted.length > 1 ? `${wanted[0]}–${wanted[wanted.length - 1]}` : wanted[0]}`;
  const headings = pointHeadings(doc, name, state.scope);
  if (!headings.length) return { resolved: false, state, missing: [{ anchor: name, reason: `is not a heading${inScope({ ...state, heading: undefined })} of ${doc.name}` }] };
  const q = qualifier === undefined ? undefined : normalise(qualifier);
  const lists = headings.flatMap((h) => listsUnder(doc, h).filter((list) => q === undefined || list.intro.includes(q)));
  if (lists.some((list) => wanted.every((n) => list.numbers.has(n)))) return { resolved: true, state: { ...state, points }, missing: [] };
  const heading = doc.lines[headings[0]].words;
  const have = lists.map((list) => describeNumbers([...list.numbers])).join(' and ');
  const reason =
    q !== undefined && lists.length === 0
      ? `is not a numbered point of ${doc.name}: no list under “${heading}” is introduced by “${qualifier}”`
      : `is not a numbered point under “${heading}”${q !== undefined ? ` in the list introduced by “${qualifier}”` : ''} in ${doc.name} (${have ? `it has ${have}` : 'it has no numbered points'})`;
  return { resolved: false, state, missing: [{ anchor: cited, reason }] };
}

/** "points 1–4", "point 1", "points 1, 3, 4". */
function describeNumbers(numbers: number[]): string {
  const sorted = numbers.sort((a, b) => a - b);
  if (sorted.length === 1) return `point ${sorted[0]}`;
  const contiguous = sorted.every((n, k) => n === sorted[0] + k);
  return `points ${contiguous ? `${sorted[0]}–${sorted[sorted.length - 1]}` : sorted.join(', ')}`;
}

/**
 * Rows of the table in the scope (002's transfer-point table): every cell starts its line with a tab,
 * a cell may run on over untabbed lines, and the first run of cells is the header, whose count is
 * the table's width. Undefined when the scope has no table.
 */
function tableRows(doc: SourceDocument, scope: Scope): number | undefined {
  const lines = linesIn(doc, scope);
  const first = lines.findIndex((l) => l.cell);
  if (first < 0) return undefined;
  let width = 0;
  while (lines[first + width]?.cell) width++;
  const cells = lines.filter((l) => l.cell).length;
  return Math.ceil((cells - width) / width);
}

function phraseMissing(doc: SourceDocument, phrase: string, state: State): UnresolvedAnchor[] {
  const wanted = normalise(phrase);
  const end = state.scope.to < doc.lines.length ? doc.lineStart[state.scope.to] : doc.text.length;
  if (doc.text.slice(doc.lineStart[state.cursor] ?? 0, end).includes(wanted)) return [];
  const elsewhere = doc.text.includes(wanted);
  return [{ anchor: `“${phrase}”`, reason: `is not in ${elsewhere && inScope(state) ? `the text${inScope(state)}` : 'the text'} of ${doc.name}` }];
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
