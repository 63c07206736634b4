/**
 * DynamoDB's eventual consistency, in front of dynalite (which is always strongly consistent).
 *
 * AWS: a read without `ConsistentRead: true` (and every GSI query) may answer an item as it was
 * before a recent write: an old image, an item already deleted, or no item where one was just
 * created. Here every write (PutItem, UpdateItem, DeleteItem, BatchWriteItem) first reads the
 * item's image before it and remembers it with the write's time; an eventually consistent GetItem,
 * BatchGetItem or Query of a key written within the last `staleReadMs` answers the OLDEST image
 * of that window instead of the current one (the worst AWS may do). Writes are serialised so each
 * before-image is exact. Projected reads, COUNT queries and Scan (the platform uses none) pass
 * through as they are.
 */
import { crc32 } from 'node:zlib';

/** DynamoDB's JSON shape of an item: attribute name to a typed value ({ S: ... }, { N: ... }...). */
type Item = Record<string, Record<string, unknown>>;
type Json = Record<string, unknown>;

export interface DynamoReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Sends one request (target like `DynamoDB_20120810.GetItem`, JSON body) to the real server. */
export type DynamoCall = (target: string, body: Buffer) => Promise<DynamoReply>;

interface KeySchemas {
  /** The table's key attribute names: hash, then range if any. */
  table: string[];
  indexes: Map<string, string[]>;
}

interface Image {
  /** When the write that replaced this image happened. */
  at: number;
  /** The item before that write; undefined when it did not exist. */
  item: Item | undefined;
}

const PREFIX = 'DynamoDB_20120810.';

export function createStaleReads(options: { staleReadMs: number; now?: () => number }) {
  const now = options.now ?? Date.now;
  const schemas = new Map<string, Promise<KeySchemas>>();
  /** Per table, per key (JSON of the key values): the before-images of the writes in the window. */
  const history = new Map<string, Map<string, Image[]>>();
  let writeQueue: Promise<unknown> = Promise.resolve();

  const schemaOf = (table: string, call: DynamoCall): Promise<KeySchemas> => {
    let schema = schemas.get(table);
    if (!schema) {
      schema = describe(table, call);
      schemas.set(table, schema);
      schema.catch(() => schemas.delete(table));
    }
    return schema;
  };

  /** The oldest image within the window, or undefined when the key was not written within it. */
  const staleImage = (table: string, key: string): Image | undefined => {
    const images = history.get(table)?.get(key);
    if (!images) return undefined;
    const since = now() - options.staleReadMs;
    while (images.length > 0 && (images[0] as Image).at <= since) images.shift();
    if (images.length === 0) history.get(table)?.delete(key);
    return images[0];
  };

  const remember = (table: string, key: string, image: Image): void => {
    let keys = history.get(table);
    if (!keys) {
      keys = new Map();
      history.set(table, keys);
    }
    const images = keys.get(key) ?? [];
    images.push(image);
    // Most keys written are never read again (an execution record): forget them once out of the
    // window, or the history grows with every write. Re-inserted, a map keeps keys in order of
    // their last write, so the expired ones are at its front.
    keys.delete(key);
    keys.set(key, images);
    const since = image.at - options.staleReadMs;
    for (const [oldest, kept] of keys) {
      if ((kept.at(-1) as Image).at > since) break;
      keys.delete(oldest);
    }
  };

  const write = async (op: string, input: Json, body: Buffer, call: DynamoCall): Promise<DynamoReply> => {
    const targets: Array<{ table: string; key: Item }> = [];
    if (op === 'BatchWriteItem') {
      for (const [table, requests] of Object.entries((input.RequestItems ?? {}) as Record<string, Json[]>)) {
        const schema = await schemaOf(table, call);
        for (const request of requests) {
          const put = request.PutRequest as { Item?: Item } | undefined;
          const del = request.DeleteRequest as { Key?: Item } | undefined;
          const key = put?.Item ? keyOf(put.Item, schema.table) : del?.Key;
          if (key) targets.push({ table, key });
        }
      }
    } else {
      const table = input.TableName as string;
      const key =
        op === 'PutItem' ? keyOf(input.Item as Item, (await schemaOf(table, call)).table) : input.Key;
      targets.push({ table, key: key as Item });
    }
    const before = await Promise.all(targets.map((t) => getItem(t.table, t.key, call)));
    const reply = await call(PREFIX + op, body);
    if (reply.status === 200) {
      const at = now();
      targets.forEach((t, i) => {
        remember(t.table, keyString(t.key), { at, item: before[i] });
      });
    }
    return reply;
  };

  const getItemRead = (input: Json, out: Json): boolean => {
    const image = staleImage(input.TableName as string, keyString(input.Key as Item));
    if (!image) return false;
    if (image.item) out.Item = image.item;
    else delete out.Item;
    return true;
  };

  const batchGetRead = async (input: Json, out: Json, call: DynamoCall): Promise<boolean> => {
    let changed = false;
    const requests = (input.RequestItems ?? {}) as Record<string, Json>;
    const responses = (out.Responses ?? {}) as Record<string, Item[]>;
    for (const [table, request] of Object.entries(requests)) {
      if (request.ConsistentRead === true || projected(request)) continue;
      const schema = await schemaOf(table, call);
      const answered = responses[table] ?? [];
      const unprocessed = new Set(
        (((out.UnprocessedKeys as Record<string, Json> | undefined)?.[table]?.Keys ?? []) as Item[]).map(
          keyString,
        ),
      );
      const byKey = new Map(answered.map((item) => [keyString(keyOf(item, schema.table)), item]));
      for (const key of (request.Keys ?? []) as Item[]) {
        const name = keyString(key);
        if (unprocessed.has(name)) continue;
        const image = staleImage(table, name);
        if (!image) continue;
        changed = true;
        if (image.item) byKey.set(name, image.item);
        else byKey.delete(name);
      }
      responses[table] = [...byKey.values()];
    }
    out.Responses = responses;
    return changed;
  };

  const queryRead = async (input: Json, out: Json, call: DynamoCall): Promise<boolean> => {
    const table = input.TableName as string;
    const schema = await schemaOf(table, call);
    const keyNames = input.IndexName ? schema.indexes.get(input.IndexName as string) : schema.table;
    if (!keyNames) return false;
    const condition = keyCondition(input);
    const matches = (item: Item) =>
      keyNames.every((name) => item[name] !== undefined) && (condition?.(item) ?? true);
    let changed = false;
    const items: Item[] = [];
    const seen = new Set<string>();
    for (const item of (out.Items ?? []) as Item[]) {
      const name = keyString(keyOf(item, schema.table));
      seen.add(name);
      const image = staleImage(table, name);
      if (!image) {
        items.push(item);
        continue;
      }
      changed = true;
      if (image.item && matches(image.item)) items.push(image.item);
    }
    // A recently deleted (or moved) item may still be seen, when the answer is complete and the
    // condition is one we can evaluate.
    const complete = !out.LastEvaluatedKey && !input.Limit && !input.FilterExpression && condition;
    if (complete) {
      for (const name of [...(history.get(table)?.keys() ?? [])]) {
        if (seen.has(name)) continue;
        const image = staleImage(table, name);
        if (image?.item && matches(image.item)) {
          items.push(image.item);
          changed = true;
        }
      }
    }
    if (!changed) return false;
    const range = keyNames[1];
    if (range) {
      const sign = input.ScanIndexForward === false ? -1 : 1;
      items.sort((a, b) => sign * compare(a[range] ?? {}, b[range] ?? {}));
    }
    out.Items = items;
    out.Count = items.length;
    return true;
  };

  return {
    /** Keys with before-images still held, over every table (tests check it stays bounded). */
    trackedKeys: (): number => [...history.values()].reduce((sum, keys) => sum + keys.size, 0),
    /** Answers one request, through `call` to the real server. */
    async handle(target: string, body: Buffer, call: DynamoCall): Promise<DynamoReply> {
      const op = target.startsWith(PREFIX) ? target.slice(PREFIX.length) : '';
      const input = parseJson(body);
      if (!input) return call(target, body);
      if (op === 'PutItem' || op === 'UpdateItem' || op === 'DeleteItem' || op === 'BatchWriteItem') {
        const run = writeQueue.then(() => write(op, input, body, call));
        writeQueue = run.catch(() => undefined);
        return run;
      }
      if (op === 'DeleteTable' || op === 'CreateTable') {
        history.delete(input.TableName as string);
        schemas.delete(input.TableName as string);
        return call(target, body);
      }
      const eventual = input.ConsistentRead !== true && !projected(input) && input.Select !== 'COUNT';
      if (!(op === 'BatchGetItem' || (eventual && (op === 'GetItem' || op === 'Query'))))
        return call(target, body);
      const reply = await call(target, body);
      const out = reply.status === 200 ? parseJson(reply.body) : undefined;
      if (!out) return reply;
      const changed =
        op === 'GetItem'
          ? getItemRead(input, out)
          : op === 'BatchGetItem'
            ? await batchGetRead(input, out, call)
            : await queryRead(input, out, call);
      return changed ? withBody(reply, out) : reply;
    },
  };

  async function getItem(table: string, key: Item, call: DynamoCall): Promise<Item | undefined> {
    const reply = await call(
      `${PREFIX}GetItem`,
      Buffer.from(JSON.stringify({ TableName: table, Key: key, ConsistentRead: true })),
    );
    if (reply.status !== 200) throw new Error(`GetItem before a write failed: ${reply.body.toString()}`);
    return parseJson(reply.body)?.Item as Item | undefined;
  }
}

async function describe(table: string, call: DynamoCall): Promise<KeySchemas> {
  const reply = await call(`${PREFIX}DescribeTable`, Buffer.from(JSON.stringify({ TableName: table })));
  if (reply.status !== 200) throw new Error(`DescribeTable ${table} failed: ${reply.body.toString()}`);
  const description = parseJson(reply.body)?.Table as Json;
  type Schema = Array<{ AttributeName: string; KeyType: string }>;
  const names = (schema: Schema) =>
    ['HASH', 'RANGE'].flatMap((type) => schema.filter((k) => k.KeyType === type).map((k) => k.AttributeName));
  const indexes = new Map<string, string[]>();
  for (const list of [description.GlobalSecondaryIndexes, description.LocalSecondaryIndexes]) {
    for (const index of (list ?? []) as Array<{ IndexName: string; KeySchema: Schema }>) {
      indexes.set(index.IndexName, names(index.KeySchema));
    }
  }
  return { table: names(description.KeySchema as Schema), indexes };
}

function keyOf(item: Item, names: string[]): Item {
  return Object.fromEntries(names.map((name) => [name, item[name] as Record<string, unknown>]));
}

/** A key as a map key: its attributes in name order. */
function keyString(key: Item): string {
  return JSON.stringify(
    Object.keys(key)
      .sort()
      .map((name) => [name, key[name]]),
  );
}

function projected(input: Json): boolean {
  return input.ProjectionExpression !== undefined || input.AttributesToGet !== undefined;
}

/** The scalar inside a typed value, for comparisons. */
function scalar(value: Record<string, unknown>): string | number | undefined {
  if (typeof value.N === 'string') return Number(value.N);
  if (typeof value.S === 'string') return value.S;
  if (typeof value.B === 'string') return value.B;
  return undefined;
}

function compare(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const x = scalar(a);
  const y = scalar(b);
  if (x === y || x === undefined || y === undefined) return 0;
  return x < y ? -1 : 1;
}

/**
 * The KeyConditionExpression as a predicate, for the forms the platform writes (`a = :v`,
 * comparisons, `begins_with(a, :v)`, joined by AND); undefined for anything else.
 */
function keyCondition(input: Json): ((item: Item) => boolean) | undefined {
  const expression = input.KeyConditionExpression;
  if (typeof expression !== 'string' || /\bbetween\b/i.test(expression)) return undefined;
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (input.ExpressionAttributeValues ?? {}) as Item;
  const nameOf = (token: string) => names[token] ?? token;
  const tests: Array<(item: Item) => boolean> = [];
  for (const clause of expression.split(/\s+AND\s+/i)) {
    const text = clause
      .trim()
      .replace(/^\((.*)\)$/, '$1')
      .trim();
    const prefix = /^begins_with\s*\(\s*([#\w]+)\s*,\s*(:\w+)\s*\)$/i.exec(text);
    const comparison = /^([#\w]+)\s*(=|<=|>=|<|>)\s*(:\w+)$/.exec(text);
    if (prefix) {
      const [, name, value] = prefix as unknown as [string, string, string];
      const wanted = scalar(values[value] ?? {});
      tests.push((item) => {
        const actual = scalar(item[nameOf(name)] ?? {});
        return typeof actual === 'string' && typeof wanted === 'string' && actual.startsWith(wanted);
      });
    } else if (comparison) {
      const [, name, op, value] = comparison as unknown as [string, string, string, string];
      const wanted = values[value] ?? {};
      tests.push((item) => {
        const actual = item[nameOf(name)];
        if (!actual || scalar(actual) === undefined) return false;
        const order = compare(actual, wanted);
        if (op === '=') return scalar(actual) === scalar(wanted);
        return op === '<' ? order < 0 : op === '<=' ? order <= 0 : op === '>' ? order > 0 : order >= 0;
      });
    } else {
      return undefined;
    }
  }
  return (item) => tests.every((test) => test(item));
}

function parseJson(body: Buffer): Json | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return value !== null && typeof value === 'object' ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

/** The reply with a new JSON body, its length and DynamoDB's CRC32 header recomputed. */
function withBody(reply: DynamoReply, out: Json): DynamoReply {
  const body = Buffer.from(JSON.stringify(out));
  return {
    status: reply.status,
    headers: { ...reply.headers, 'content-length': String(body.length), 'x-amz-crc32': String(crc32(body)) },
    body,
  };
}
