/**
 * Reading a pack's YAML text, and finding the line a JSON pointer refers to, so a problem says
 * "line 42" and not only "/rules/3/when/conditions/1".
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { PolicyPackProblem } from './policy-pack-invalid';

export interface YamlSource {
  /** The document as plain data; undefined when the YAML has syntax errors. */
  data: unknown;
  errors: PolicyPackProblem[];
  warnings: PolicyPackProblem[];
  /** The 1-based line a JSON pointer (into `data`) refers to, or of its nearest written ancestor. */
  lineOf(pointer: string): number | undefined;
}

export function readYaml(text: string): YamlSource {
  const lineCounter = new LineCounter();
  // uniqueKeys: a key written twice is an error, never "the last one wins".
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, lineCounter });
  const lineOf = (pointer: string) => {
    const offset = offsetOf(doc, pointer);
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  };
  const problem = (e: { message: string; linePos?: [{ line: number; col: number }, ...unknown[]] }): PolicyPackProblem => ({
    path: '',
    message: firstLine(e.message),
    ...(e.linePos ? { line: e.linePos[0].line, column: e.linePos[0].col } : {}),
  });
  const errors = doc.errors.map(problem);
  return {
    data: errors.length === 0 ? doc.toJS() : undefined,
    errors,
    warnings: doc.warnings.map(problem),
    lineOf,
  };
}

/** prettyErrors adds " at line 3, column 1:" and the offending lines; the problem carries the position. */
const firstLine = (message: string): string => message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');

/**
 * The source offset of the node a JSON pointer names, or of its deepest ancestor present in the
 * YAML (a missing field is reported where its parent starts). A field's own key is preferred to
 * its value: that is the line a reader looks for. The normalised pack says `events: [X]` where the
 * YAML may say `event: X`, so `/…/when/events/0` finds `event`.
 */
function offsetOf(doc: Document, pointer: string): number | undefined {
  const segments = pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: unknown = doc.contents;
  let offset = rangeStart(node);
  for (let i = 0; i < segments.length; i++) {
    if (isAlias(node)) node = node.resolve(doc);
    const segment = segments[i];
    if (isMap(node)) {
      const pairOf = (key: string) => node && isMap(node) ? node.items.find((p) => isScalar(p.key) && String(p.key.value) === key) : undefined;
      let pair = pairOf(segment);
      if (!pair && segment === 'events') {
        pair = pairOf('event');
        if (pair) i++; // `event: X` stands for `events: [X]`: skip the index
      }
      if (!pair) break;
      offset = rangeStart(pair.key) ?? rangeStart(pair.value) ?? offset;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)];
      if (!/^\d+$/.test(segment) || item === undefined) break;
      offset = rangeStart(item) ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset;
}

const rangeStart = (node: unknown): number | undefined => (node && typeof node === 'object' && 'range' in node ? (node as Node).range?.[0] : undefined);
