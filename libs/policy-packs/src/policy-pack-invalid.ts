/**
 * One thing wrong with a policy pack, said so that the team manager who wrote the YAML can find
 * and fix it: where (a JSON pointer into the pack, and the YAML line when known), which rule, what.
 */
export interface PolicyPackProblem {
  /** JSON pointer into the pack as written ("/rules/3/to"); "" is the pack as a whole. */
  path: string;
  message: string;
  /** The rule the problem is in, when it is in one and the rule has an id. */
  ruleId?: string;
  /** 1-based line in the YAML file. */
  line?: number;
  /** 1-based column, for YAML syntax errors. */
  column?: number;
}

/** A pack that cannot be used: YAML syntax, schema or semantic errors, every one listed. */
export class PolicyPackInvalid extends Error {
  readonly code = 'POLICY_PACK_INVALID';
  override readonly name = 'PolicyPackInvalid';
  constructor(
    readonly file: string,
    readonly problems: readonly PolicyPackProblem[],
  ) {
    super(
      [
        `policy pack ${file} is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):`,
        ...problems.map((p) => `  ${formatProblem(file, p)}`),
      ].join('\n'),
    );
  }
}

/** `file:line /rules/3/to (rule plo-to-fsp): unknown team FSPX` — one line, as the CLI prints it. */
export function formatProblem(file: string, problem: PolicyPackProblem): string {
  const where = problem.line === undefined ? file : `${file}:${problem.line}${problem.column === undefined ? '' : `:${problem.column}`}`;
  const rule = problem.ruleId === undefined ? '' : ` (rule ${problem.ruleId})`;
  return `${where} ${problem.path === '' ? '/' : problem.path}${rule}: ${problem.message}`;
}
