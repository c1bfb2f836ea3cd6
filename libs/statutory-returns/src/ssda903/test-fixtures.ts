/**
 * Test support: the SSDA903 fixtures (libs/statutory-returns/fixtures/ssda903/, written for these
 * tests from the specification) read from disk. Only the specs import this file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ReturnFile } from './read-csv';

export const FIXTURES_DIR = path.resolve(__dirname, '../../fixtures/ssda903');

/** A fixture file as the readers take it, named by its path under the fixtures folder. */
export function fixture(relative: string): ReturnFile {
  return { file: relative, text: fs.readFileSync(path.join(FIXTURES_DIR, relative), 'utf8') };
}

/** The CSV files of a fixture folder that exist (header and episodes always do). */
export function csvFixture(folder: string): { header: ReturnFile; episodes: ReturnFile; reviews?: ReturnFile; uasc?: ReturnFile } {
  const optional = (name: string) => (fs.existsSync(path.join(FIXTURES_DIR, folder, name)) ? fixture(path.join(folder, name)) : undefined);
  const reviews = optional('reviews.csv');
  const uasc = optional('uasc.csv');
  return {
    header: fixture(path.join(folder, 'header.csv')),
    episodes: fixture(path.join(folder, 'episodes.csv')),
    ...(reviews ? { reviews } : {}),
    ...(uasc ? { uasc } : {}),
  };
}
