import { MIGRATIONS } from './migrations';

describe('migrations', () => {
  it('are numbered 1, 2, 3… in order, with distinct names', () => {
    expect(MIGRATIONS.map((migration) => migration.version)).toEqual(MIGRATIONS.map((_, index) => index + 1));
    expect(new Set(MIGRATIONS.map((migration) => migration.name)).size).toBe(MIGRATIONS.length);
  });

  // pg would run "a; b" given without parameters, PGlite's query would not: keep the two alike.
  it('keep one statement per entry', () => {
    for (const statement of MIGRATIONS.flatMap((migration) => migration.statements)) {
      // A semicolon may only appear in a plpgsql body ($$ … $$) or an SQL comment.
      expect(statement.replace(/\$\$[\s\S]*?\$\$/g, '').replace(/--[^\n]*/g, '')).not.toContain(';');
    }
  });
});
