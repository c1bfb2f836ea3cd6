/**
 * contracts/asyncapi.yaml is written by hand, so this keeps it honest: @asyncapi/parser (v3) finds
 * no errors in it, with the JSON Schemas it references resolved from contracts/events/ and
 * compiled as draft 2020-12; and every topic in TOPICS, every case-event type and every decision
 * type of the catalogues is in it, so adding one without documenting it fails here.
 */
import { Parser, type SchemaParser } from '@asyncapi/parser';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CASE_EVENT_TYPES, DECISION_TYPES } from '@cto/domain';
import { DEAD_LETTER_HEADERS, TOPICS } from '@cto/messaging';
import { parse as parseYaml } from 'yaml';

const CONTRACTS = resolve(__dirname, '../contracts');
const ASYNCAPI_FILE = join(CONTRACTS, 'asyncapi.yaml');
const DRAFT_2020_12 = 'application/schema+json;version=draft-2020-12';

const schemaFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? schemaFiles(path) : name.endsWith('.schema.json') ? [path] : [];
  });
/** The schemas refer to each other by $id, which is not served: each $id is read from its file. */
const fileById = new Map(schemaFiles(join(CONTRACTS, 'events')).map((file) => [(JSON.parse(readFileSync(file, 'utf8')) as { $id: string }).$id, file]));

/**
 * The parser knows draft 2020-12 only as a format name: in AsyncAPI 3 it does not check payload
 * schemas of other formats itself (its schema-format rule is v2-only). So each payload, as the
 * parser resolved it, is compiled here with Ajv's draft 2020-12 dialect.
 */
function draft202012Problems(schema: unknown): string[] {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  try {
    ajv.compile(schema as object);
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}

const PASS_THROUGH: SchemaParser = { getMimeTypes: () => [DRAFT_2020_12], validate: async () => [], parse: async (input) => input.data as never };

async function parseDocument() {
  const parser = new Parser({
    schemaParsers: [PASS_THROUGH],
    __unstable: {
      resolver: {
        resolvers: [
          {
            schema: 'https',
            order: 1,
            canRead: (uri) => fileById.has(uri.toString().replace(/#.*$/, '')),
            read: (uri) => readFileSync(fileById.get(uri.toString().replace(/#.*$/, ''))!, 'utf8'),
          },
        ],
      },
    },
  });
  return parser.parse(readFileSync(ASYNCAPI_FILE, 'utf8'), { source: ASYNCAPI_FILE });
}

describe('contracts/asyncapi.yaml', () => {
  let parsed: Awaited<ReturnType<typeof parseDocument>>;
  const raw = readFileSync(ASYNCAPI_FILE, 'utf8');
  const yaml = parseYaml(raw) as {
    asyncapi: string;
    channels: Record<string, { address: string; messages: Record<string, unknown> }>;
    components: { messages: Record<string, { payload: { schemaFormat?: string; schema?: { $ref: string } } }>; schemas: Record<string, { properties: Record<string, unknown> }> };
  };
  beforeAll(async () => {
    parsed = await parseDocument();
  }, 30000);

  it('is an AsyncAPI 3 document the parser reads with no errors', () => {
    const errors = parsed.diagnostics.filter((d) => d.severity === 0).map((d) => `${d.path.join('/')}: ${d.message}`);
    expect(errors).toEqual([]);
    expect(parsed.document).toBeDefined();
    expect(yaml.asyncapi).toMatch(/^3\./);
  });

  it('has payload schemas that are valid draft 2020-12, with every reference resolved', () => {
    const messages = parsed.document!.allMessages().all();
    expect(messages.length).toBe(DECISION_TYPES.length + 2);
    // A multi-format payload is { schemaFormat, schema }; the parser has replaced each $ref by what it names.
    const schemas = messages.flatMap((m) => {
      const payload = m.payload()?.json() as { schemaFormat?: string; schema?: unknown } | undefined;
      return payload?.schemaFormat === DRAFT_2020_12 ? [{ id: m.id(), schema: payload.schema }] : [];
    });
    expect(schemas.map((s) => s.id).sort()).toEqual(['CaseEvent', ...DECISION_TYPES].sort());
    expect(schemas.flatMap(({ id, schema }) => draft202012Problems(schema).map((problem) => `${id}: ${problem}`))).toEqual([]);
    expect(JSON.stringify(schemas)).not.toContain('"$ref"');
  });

  it('has a channel for every topic', () => {
    const addresses = parsed.document!.channels().all().map((c) => c.address());
    expect(addresses.sort()).toEqual(Object.values(TOPICS).sort());
  });

  it('documents every case-event type and every decision type of the catalogues', () => {
    const missingCase = CASE_EVENT_TYPES.filter((type) => !new RegExp(`\\b${type}\\b`).test(yaml.components.messages.CaseEvent ? JSON.stringify(yaml.components.messages.CaseEvent) : ''));
    expect(missingCase).toEqual([]);
    const transferEvents = Object.values(yaml.channels).find((c) => c.address === TOPICS.transferEvents)!;
    expect(Object.keys(transferEvents.messages).sort()).toEqual([...DECISION_TYPES].sort());
    for (const type of DECISION_TYPES) {
      expect({ type, payload: yaml.components.messages[type]?.payload }).toEqual({
        type,
        payload: { schemaFormat: DRAFT_2020_12, schema: { $ref: `./events/decisions/${type}.schema.json` } },
      });
    }
  });

  it('references the envelope schema for case events and names every dead-letter header', () => {
    expect(yaml.components.messages.CaseEvent.payload).toEqual({ schemaFormat: DRAFT_2020_12, schema: { $ref: './events/case-event-envelope.schema.json' } });
    expect(Object.keys(yaml.components.schemas.DeadLetterHeaders.properties)).toEqual(expect.arrayContaining(Object.values(DEAD_LETTER_HEADERS)));
    expect(Object.keys(yaml.components.schemas.CloudEventHeaders.properties)).toEqual(
      expect.arrayContaining(['ce_id', 'ce_type', 'ce_source', 'ce_specversion', 'ce_time', 'ce_subject']),
    );
  });
});
