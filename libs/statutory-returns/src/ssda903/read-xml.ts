/**
 * The XML form of the return, as the public validator reads it ([V] lac_validator/ingress.py,
 * read_xml_from_text; element names in the mapping's `xml`):
 *
 *   <EXPSSDA903>
 *     <CHILD>
 *       <HEADER> CHILDID SEX DOB … UASC DUC <AREVIEW> REVIEW REVIEW_CODE </AREVIEW>… </HEADER>
 *       <EPISODE> DECOM RNE LS … DEC REC … </EPISODE>…
 *     </CHILD>…
 *   </EXPSSDA903>
 *
 * It is turned into the same tables as the CSV files, each record located by its element path
 * (`/EXPSSDA903/CHILD[3]/EPISODE[2]`, positions from 1 as in XPath). Elements the mapping does not
 * read (OC2, PERMANENCE, AD_PLACED, …) are passed over.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Ssda903Mapping } from './mapping';
import type { ReturnFile } from './read-csv';
import { emptyTables, unreadableReturn, type ReturnTables } from './return-tables';

type Element = Record<string, unknown>;

export function readXmlTables({ file, text }: ReturnFile, mapping: Ssda903Mapping): ReturnTables {
  const { root, child, header, episode, review, rename, uascFlag } = mapping.xml;
  const wellFormed = XMLValidator.validate(text);
  if (wellFormed !== true) {
    const { msg, line } = wellFormed.err;
    return unreadableReturn([{ file, reason: `the file is not well-formed XML (line ${line}): ${msg}` }]);
  }
  const repeated = new Set([`${root}.${child}`, `${root}.${child}.${header}`, `${root}.${child}.${episode}`, `${root}.${child}.${header}.${review}`]);
  const parser = new XMLParser({
    ignoreAttributes: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    parseTagValue: false,
    trimValues: true,
    jPath: true,
    isArray: (_name, jPath) => repeated.has(String(jPath)),
  });
  const document = parser.parse(text) as Element;
  const rootName = Object.keys(document)[0];
  if (rootName !== root) {
    const found = rootName === undefined ? 'no root element' : `the root element <${rootName}>`;
    return unreadableReturn([{ file, path: rootName === undefined ? '' : `/${rootName}`, reason: `the file is not an SSDA903 return: it has ${found}, where the return's is <${root}>` }]);
  }

  const records = emptyTables();
  const fileRefusals: ReturnTables['fileRefusals'] = [];
  const childElements = asElements(asElements(document[root])[0]?.[child]);
  const fromXml = (name: string) => rename[name] ?? name;
  const names = Object.fromEntries(Object.entries(rename).map(([xml, column]) => [column, xml]));

  childElements.forEach((childElement, c) => {
    const childPath = `/${root}/${child}[${c + 1}]`;
    const headers = asElements(childElement[header]);
    if (headers.length === 0) {
      const episodes = asElements(childElement[episode]).length;
      fileRefusals.push({ file, path: childPath, field: header, reason: `the ${child} element has no ${header}, so it names no child; its ${episodes} ${episode} element(s) are not read` });
      return;
    }
    // Every HEADER is a header record: a second one is then refused as the child named twice.
    let childId: string | undefined;
    headers.forEach((headerElement, h) => {
      const headerPath = headers.length === 1 ? `${childPath}/${header}` : `${childPath}/${header}[${h + 1}]`;
      const read = leaves(headerElement, fromXml);
      childId ??= read.values.CHILD;
      const at = { file, path: headerPath, names };
      records.Header.push({ ...at, values: read.values, problems: read.problems });
      const flag = read.values[uascFlag];
      if ((flag !== undefined && flag !== '') || (read.values.DUC !== undefined && read.values.DUC !== '')) {
        records.UASC.push({ ...at, values: { CHILD: read.values.CHILD, [uascFlag]: flag, DUC: read.values.DUC } });
      }
      asElements(headerElement[review]).forEach((reviewElement, r) => {
        const reviewRead = leaves(reviewElement, fromXml);
        records.Reviews.push({ file, path: `${headerPath}/${review}[${r + 1}]`, names, values: { ...reviewRead.values, CHILD: read.values.CHILD }, problems: reviewRead.problems });
      });
    });
    asElements(childElement[episode]).forEach((episodeElement, e) => {
      const read = leaves(episodeElement, fromXml);
      records.Episodes.push({ file, path: `${childPath}/${episode}[${e + 1}]`, names, values: { ...read.values, CHILD: childId }, problems: read.problems });
    });
  });
  return { records, fileRefusals, unreadable: false, columnMissing: false };
}

/** The elements under a name: the parser gives an array for the repeated ones, '' for an empty one. */
function asElements(value: unknown): Element[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.map((item) => (item !== null && typeof item === 'object' ? (item as Element) : {}));
}

/**
 * The text elements of a record, by column name. An element given twice, or holding elements where
 * text belongs, is a problem of the record (the nested tables the mapping does not read — AREVIEW,
 * OC2 — are skipped by the caller's choice of names: only the mapping's columns are kept whole).
 */
function leaves(element: Element, fromXml: (name: string) => string): { values: Record<string, string | undefined>; problems: { field: string; reason: string }[] } {
  const values: Record<string, string | undefined> = {};
  const problems: { field: string; reason: string }[] = [];
  for (const [name, value] of Object.entries(element)) {
    if (typeof value === 'string') {
      values[fromXml(name)] = value;
    } else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
      problems.push({ field: name, reason: `${name} is given ${value.length} times in the element; it is given once` });
    }
    // Anything else is a nested table (AREVIEW, OC2, PERMANENCE, …), read by the caller or not at all.
  }
  return { values, problems };
}
