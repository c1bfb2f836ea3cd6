/**
 * The command line's files to a return read and mapped: which files each source takes, read from
 * disk here, handed as text to the pure readers of libs/statutory-returns with the repository's
 * mapping files (contracts/imports/).
 */
import { localDateOf, type LocalDate, type PolicyPack } from '@cto/domain';
import { loadCscApiContracts, readCscApiPayload, readSsda903Csv, readSsda903MappingFile, readSsda903Xml, readTeamsFile, type MappedCaseload, type TeamsFile } from '@cto/statutory-returns';
import { readFileSync } from 'node:fs';

export type ReturnKind = 'ssda903' | 'csc-api';

export const RETURN_OPTIONS = {
  header: { type: 'string' },
  episodes: { type: 'string' },
  reviews: { type: 'string' },
  uasc: { type: 'string' },
  xml: { type: 'string' },
  payload: { type: 'string' },
} as const;

type Files = Partial<Record<keyof typeof RETURN_OPTIONS, string | boolean | undefined>>;

export class ReturnFilesInvalid extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReturnFilesInvalid';
  }
}

const fileOf = (path: string) => {
  try {
    return { file: path, text: readFileSync(path, 'utf8') };
  } catch (error) {
    throw new ReturnFilesInvalid(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
};

export function readReturn(kind: ReturnKind, files: Files, authority: string): MappedCaseload {
  const given = (name: keyof typeof RETURN_OPTIONS) => (typeof files[name] === 'string' ? (files[name] as string) : undefined);
  const misplaced = (allowed: (keyof typeof RETURN_OPTIONS)[]) =>
    (Object.keys(RETURN_OPTIONS) as (keyof typeof RETURN_OPTIONS)[]).filter((o) => given(o) !== undefined && !allowed.includes(o));
  if (kind === 'csc-api') {
    const wrong = misplaced(['payload']);
    if (wrong.length) throw new ReturnFilesInvalid(`csc-api takes --payload only, not ${wrong.map((o) => `--${o}`).join(', ')}`);
    const payload = given('payload');
    if (!payload) throw new ReturnFilesInvalid('csc-api needs --payload <file.json>');
    return readCscApiPayload({ authority, payload: fileOf(payload), ...loadCscApiContracts() });
  }
  const xml = given('xml');
  if (xml) {
    const wrong = misplaced(['xml']);
    if (wrong.length) throw new ReturnFilesInvalid(`give the return either as XML (--xml) or as CSV files, not both (also given: ${wrong.map((o) => `--${o}`).join(', ')})`);
    return readSsda903Xml({ authority, xml: fileOf(xml) }, readSsda903MappingFile());
  }
  const wrong = misplaced(['header', 'episodes', 'reviews', 'uasc']);
  if (wrong.length) throw new ReturnFilesInvalid(`ssda903 does not take ${wrong.map((o) => `--${o}`).join(', ')}`);
  const header = given('header');
  const episodes = given('episodes');
  if (!header || !episodes) throw new ReturnFilesInvalid('ssda903 needs --header and --episodes (CSV), or --xml');
  const reviews = given('reviews');
  const uasc = given('uasc');
  return readSsda903Csv(
    {
      authority,
      header: fileOf(header),
      episodes: fileOf(episodes),
      ...(reviews ? { reviews: fileOf(reviews) } : {}),
      ...(uasc ? { uasc: fileOf(uasc) } : {}),
    },
    readSsda903MappingFile(),
  );
}

/**
 * `--today` and `--teams` as `npm run import` and `policy backtest --import` both take them: the day
 * to judge as of (default today), and the teams file read against the pack. A teams file that cannot
 * be read at all is a usage error, never passed over: the children would otherwise be given the
 * pack's assumed teams while the user believes theirs were used.
 */
export function readJudgingOptions(values: { today?: string; teams?: string }, pack: PolicyPack): { today: LocalDate; teams?: TeamsFile } {
  if (values.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.today)) throw new ReturnFilesInvalid(`--today must be a date (YYYY-MM-DD), got ${values.today}`);
  const today = values.today ?? localDateOf(new Date().toISOString());
  if (values.teams === undefined) return { today };
  const teams = readTeamsFile(fileOf(values.teams), pack);
  const unreadable = teams.refusals.find((r) => !r.childId);
  if (unreadable) throw new ReturnFilesInvalid(`--teams ${unreadable.file}${unreadable.line ? `:${unreadable.line}` : ''}: ${unreadable.reason}`);
  return { today, teams };
}
