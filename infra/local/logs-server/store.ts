/**
 * The CloudWatch Logs data model: groups hold streams, streams hold events ordered by timestamp.
 * Queries follow the API's semantics (time ranges, prefixes, limits, tokens); the HTTP server and
 * the function host both write here. Errors are the API's own exceptions.
 */
import { AwsApiError } from '../aws-error.ts';
import { LOCAL_ACCOUNT } from '../resources.ts';
import { compileFilterPattern, InvalidFilterPatternError } from './filter-pattern.ts';
import { type JournalRecord, LogJournal } from './journal.ts';

export interface InputLogEvent {
  timestamp: number;
  message: string;
}

export interface StoredLogEvent {
  eventId: string;
  logStreamName: string;
  timestamp: number;
  ingestionTime: number;
  message: string;
}

interface LogStream {
  name: string;
  creationTime: number;
  events: StoredLogEvent[];
  storedBytes: number;
  lastIngestionTime?: number;
}

interface LogGroup {
  name: string;
  creationTime: number;
  streams: Map<string, LogStream>;
  /** Events held over all its streams. */
  eventCount: number;
  /** Recorded and reported, not enforced: local logs are trimmed per stream and group instead. */
  retentionInDays?: number;
}

export interface LogStoreOptions {
  /** Directory for the journal; in memory only when absent. */
  dir?: string;
  /** Oldest events of a stream are dropped past this count, so local logs cannot grow without bound. */
  maxEventsPerStream?: number;
  /**
   * A group's streams come and go (a function's: one per worker it ever started), so the group has
   * a cap too: past it, the least recently written streams lose their oldest events.
   */
  maxEventsPerGroup?: number;
  onError?: (error: unknown) => void;
}

const MAX_BATCH_BYTES = 1_048_576;
const EVENT_OVERHEAD_BYTES = 26;
const MAX_EVENT_AGE_MS = 14 * 24 * 3600_000;
const MAX_EVENT_FUTURE_MS = 2 * 3600_000;

export class LogStore {
  private readonly groups = new Map<string, LogGroup>();
  private readonly journal: LogJournal | undefined;
  private readonly maxEventsPerStream: number;
  private readonly maxEventsPerGroup: number;
  private sequence = 0;

  private constructor(options: LogStoreOptions) {
    this.maxEventsPerStream = options.maxEventsPerStream ?? 50_000;
    this.maxEventsPerGroup = options.maxEventsPerGroup ?? 100_000;
    this.journal = options.dir ? new LogJournal(options.dir, options.onError ?? (() => {})) : undefined;
  }

  static async open(options: LogStoreOptions = {}): Promise<LogStore> {
    const store = new LogStore(options);
    if (store.journal) await store.replay(store.journal);
    return store;
  }

  async close(): Promise<void> {
    await this.journal?.flush();
  }

  flush(): Promise<void> {
    return this.journal?.flush() ?? Promise.resolve();
  }

  createLogGroup(name: string): void {
    if (this.groups.has(name)) {
      throw new AwsApiError('ResourceAlreadyExistsException', 400, 'The specified log group already exists');
    }
    this.addGroup(name, Date.now());
  }

  /** Creates the group if needed (the function host's path; Lambda does the same). */
  ensureLogGroup(name: string): void {
    if (!this.groups.has(name)) this.addGroup(name, Date.now());
  }

  createLogStream(groupName: string, streamName: string): void {
    const group = this.group(groupName);
    if (group.streams.has(streamName)) {
      throw new AwsApiError('ResourceAlreadyExistsException', 400, 'The specified log stream already exists');
    }
    this.addStream(group, streamName, Date.now());
  }

  ensureLogStream(groupName: string, streamName: string): void {
    this.ensureLogGroup(groupName);
    const group = this.group(groupName);
    if (!group.streams.has(streamName)) this.addStream(group, streamName, Date.now());
  }

  deleteLogGroup(name: string): void {
    this.group(name);
    this.groups.delete(name);
    void this.journal?.removeGroup(name);
  }

  putLogEvents(groupName: string, streamName: string, events: InputLogEvent[]): PutResult {
    const stream = this.stream(groupName, streamName);
    validateBatch(events);
    const now = Date.now();
    const rejected: PutResult['rejectedLogEventsInfo'] = {};
    events.forEach((event, index) => {
      if (event.timestamp < now - MAX_EVENT_AGE_MS) rejected.tooOldLogEventEndIndex = index + 1;
      else if (event.timestamp > now + MAX_EVENT_FUTURE_MS) rejected.tooNewLogEventStartIndex ??= index;
      else this.append(this.group(groupName), stream, event, now);
    });
    return Object.keys(rejected).length > 0 ? { rejectedLogEventsInfo: rejected } : {};
  }

  /** Appends events without the API's batch rules: the function host's direct path. */
  appendEvents(groupName: string, streamName: string, events: InputLogEvent[]): void {
    this.ensureLogStream(groupName, streamName);
    const stream = this.stream(groupName, streamName);
    const now = Date.now();
    const group = this.group(groupName);
    for (const event of events) this.append(group, stream, event, now);
  }

  putRetentionPolicy(name: string, retentionInDays: number): void {
    this.group(name).retentionInDays = retentionInDays;
  }

  describeLogGroups(query: { prefix?: string; limit?: number; nextToken?: string }): {
    logGroups: Record<string, unknown>[];
    nextToken?: string;
  } {
    const names = [...this.groups.keys()].filter((n) => n.startsWith(query.prefix ?? '')).sort();
    const { page, nextToken } = paginateByName(names, query.limit ?? 50, query.nextToken);
    const logGroups = page.map((name) => {
      const group = this.groups.get(name) as LogGroup;
      const arn = groupArn(name);
      const storedBytes = [...group.streams.values()].reduce((sum, s) => sum + s.storedBytes, 0);
      return {
        logGroupName: name,
        creationTime: group.creationTime,
        arn: `${arn}:*`,
        logGroupArn: arn,
        storedBytes,
        ...(group.retentionInDays === undefined ? {} : { retentionInDays: group.retentionInDays }),
      };
    });
    return nextToken ? { logGroups, nextToken } : { logGroups };
  }

  describeLogStreams(query: {
    logGroupName: string;
    prefix?: string;
    orderBy?: 'LogStreamName' | 'LastEventTime';
    descending?: boolean;
    limit?: number;
    nextToken?: string;
  }): { logStreams: Record<string, unknown>[]; nextToken?: string } {
    const group = this.group(query.logGroupName);
    let streams = [...group.streams.values()].filter((s) => s.name.startsWith(query.prefix ?? ''));
    streams =
      query.orderBy === 'LastEventTime'
        ? streams.sort((a, b) => (a.events.at(-1)?.timestamp ?? 0) - (b.events.at(-1)?.timestamp ?? 0))
        : streams.sort((a, b) => a.name.localeCompare(b.name));
    if (query.descending) streams.reverse();
    const offset = decodeOffset(query.nextToken);
    const limit = query.limit ?? 50;
    const page = streams.slice(offset, offset + limit);
    const logStreams = page.map((s) => ({
      logStreamName: s.name,
      creationTime: s.creationTime,
      firstEventTimestamp: s.events[0]?.timestamp,
      lastEventTimestamp: s.events.at(-1)?.timestamp,
      lastIngestionTime: s.lastIngestionTime,
      arn: `${groupArn(group.name)}:log-stream:${s.name}`,
      storedBytes: s.storedBytes,
    }));
    const more = offset + limit < streams.length;
    return more ? { logStreams, nextToken: encodeOffset(offset + limit) } : { logStreams };
  }

  getLogEvents(query: {
    logGroupName: string;
    logStreamName: string;
    startTime?: number;
    endTime?: number;
    limit?: number;
    nextToken?: string;
    startFromHead?: boolean;
  }): {
    events: Omit<StoredLogEvent, 'eventId' | 'logStreamName'>[];
    nextForwardToken: string;
    nextBackwardToken: string;
  } {
    const stream = this.stream(query.logGroupName, query.logStreamName);
    // GetLogEvents' endTime is exclusive (FilterLogEvents' is inclusive).
    const inRange = stream.events.filter(
      (e) =>
        (query.startTime === undefined || e.timestamp >= query.startTime) &&
        (query.endTime === undefined || e.timestamp < query.endTime),
    );
    const limit = query.limit ?? 10_000;
    const token = parseStreamToken(query.nextToken, query.startFromHead ? 'f/0' : `b/${inRange.length}`);
    const [from, to] =
      token.direction === 'f'
        ? [token.index, Math.min(inRange.length, token.index + limit)]
        : [Math.max(0, token.index - limit), token.index];
    const events = inRange
      .slice(from, to)
      .map(({ timestamp, message, ingestionTime }) => ({ timestamp, message, ingestionTime }));
    return { events, nextForwardToken: `f/${to}`, nextBackwardToken: `b/${from}` };
  }

  filterLogEvents(query: {
    logGroupName: string;
    logStreamNames?: string[];
    logStreamNamePrefix?: string;
    startTime?: number;
    endTime?: number;
    filterPattern?: string;
    limit?: number;
    nextToken?: string;
  }): { events: StoredLogEvent[]; nextToken?: string } {
    const group = this.group(query.logGroupName);
    if (query.logStreamNames && query.logStreamNamePrefix !== undefined) {
      throw new AwsApiError(
        'InvalidParameterException',
        400,
        'logStreamNames and logStreamNamePrefix are mutually exclusive',
      );
    }
    let matches: (message: string) => boolean;
    try {
      matches = compileFilterPattern(query.filterPattern);
    } catch (error) {
      if (error instanceof InvalidFilterPatternError) {
        throw new AwsApiError('InvalidParameterException', 400, error.message);
      }
      throw error;
    }
    const after = decodeEventCursor(query.nextToken);
    const streams = [...group.streams.values()].filter(
      (s) =>
        (query.logStreamNames === undefined || query.logStreamNames.includes(s.name)) &&
        s.name.startsWith(query.logStreamNamePrefix ?? ''),
    );
    const selected: StoredLogEvent[] = [];
    for (const stream of streams) {
      for (const event of stream.events) {
        if (query.startTime !== undefined && event.timestamp < query.startTime) continue;
        if (query.endTime !== undefined && event.timestamp > query.endTime) continue;
        if (after && compareEvents(event, after) <= 0) continue;
        if (matches(event.message)) selected.push(event);
      }
    }
    selected.sort(compareEvents);
    const limit = query.limit ?? 10_000;
    const events = selected.slice(0, limit);
    const last = events.at(-1);
    return selected.length > limit && last ? { events, nextToken: encodeEventCursor(last) } : { events };
  }

  private addGroup(name: string, creationTime: number): void {
    this.groups.set(name, { name, creationTime, streams: new Map(), eventCount: 0 });
    this.journal?.append(name, { k: 'g', c: creationTime });
  }

  private addStream(group: LogGroup, name: string, creationTime: number): void {
    group.streams.set(name, { name, creationTime, events: [], storedBytes: 0 });
    this.journal?.append(group.name, { k: 's', s: name, c: creationTime });
  }

  private append(group: LogGroup, stream: LogStream, input: InputLogEvent, ingestionTime: number): void {
    const event: StoredLogEvent = {
      eventId: String(++this.sequence).padStart(20, '0'),
      logStreamName: stream.name,
      timestamp: input.timestamp,
      ingestionTime,
      message: input.message,
    };
    insertSorted(stream, event);
    group.eventCount++;
    this.journal?.append(group.name, {
      k: 'e',
      s: stream.name,
      t: event.timestamp,
      i: ingestionTime,
      id: event.eventId,
      m: event.message,
    });
    // Drop a tenth at once so trimming is rare; the journal is compacted on the next start.
    if (stream.events.length > this.maxEventsPerStream)
      drop(group, stream, Math.ceil(this.maxEventsPerStream / 10));
    if (group.eventCount > this.maxEventsPerGroup)
      this.trimGroup(group, Math.ceil(this.maxEventsPerGroup / 10));
  }

  /** Drops `count` events from the streams written least recently, their oldest first. */
  private trimGroup(group: LogGroup, count: number): void {
    const target = Math.max(0, group.eventCount - count);
    const streams = [...group.streams.values()]
      .filter((s) => s.events.length > 0)
      .sort((a, b) => (a.lastIngestionTime ?? 0) - (b.lastIngestionTime ?? 0));
    for (const stream of streams) {
      if (group.eventCount <= target) break;
      drop(group, stream, group.eventCount - target);
    }
  }

  private async replay(journal: LogJournal): Promise<void> {
    for (const [groupName, records] of await journal.load()) {
      const group: LogGroup = {
        name: groupName,
        creationTime: Date.now(),
        streams: new Map(),
        eventCount: 0,
      };
      this.groups.set(groupName, group);
      for (const record of records) {
        if (record.k === 'g') group.creationTime = record.c;
        else if (record.k === 's') {
          if (!group.streams.has(record.s)) {
            group.streams.set(record.s, {
              name: record.s,
              creationTime: record.c,
              events: [],
              storedBytes: 0,
            });
          }
        } else {
          let stream = group.streams.get(record.s);
          if (!stream) {
            stream = { name: record.s, creationTime: record.t, events: [], storedBytes: 0 };
            group.streams.set(record.s, stream);
          }
          const event = {
            eventId: record.id,
            logStreamName: record.s,
            timestamp: record.t,
            ingestionTime: record.i,
            message: record.m,
          };
          insertSorted(stream, event);
          group.eventCount++;
          this.sequence = Math.max(this.sequence, Number(record.id));
        }
      }
      let trimmed = false;
      for (const stream of group.streams.values()) {
        if (stream.events.length > this.maxEventsPerStream) {
          drop(group, stream, stream.events.length - this.maxEventsPerStream);
          trimmed = true;
        }
      }
      if (group.eventCount > this.maxEventsPerGroup) {
        this.trimGroup(group, group.eventCount - this.maxEventsPerGroup);
        trimmed = true;
      }
      if (trimmed) await journal.rewrite(groupName, snapshot(group));
    }
  }

  private group(name: string): LogGroup {
    const group = this.groups.get(name);
    if (!group)
      throw new AwsApiError('ResourceNotFoundException', 400, 'The specified log group does not exist.');
    return group;
  }

  private stream(groupName: string, streamName: string): LogStream {
    const stream = this.group(groupName).streams.get(streamName);
    if (!stream)
      throw new AwsApiError('ResourceNotFoundException', 400, 'The specified log stream does not exist.');
    return stream;
  }
}

export interface PutResult {
  rejectedLogEventsInfo?: { tooNewLogEventStartIndex?: number; tooOldLogEventEndIndex?: number };
}

function validateBatch(events: InputLogEvent[]): void {
  if (events.length === 0 || events.length > 10_000) {
    throw new AwsApiError(
      'InvalidParameterException',
      400,
      'A batch must contain between 1 and 10000 log events.',
    );
  }
  let bytes = 0;
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as InputLogEvent;
    if (
      typeof event.message !== 'string' ||
      event.message.length === 0 ||
      !Number.isFinite(event.timestamp)
    ) {
      throw new AwsApiError(
        'InvalidParameterException',
        400,
        `Log event ${i} needs a timestamp and a message.`,
      );
    }
    if (i > 0 && event.timestamp < (events[i - 1] as InputLogEvent).timestamp) {
      throw new AwsApiError(
        'InvalidParameterException',
        400,
        'Log events in a single PutLogEvents request must be in chronological order.',
      );
    }
    bytes += Buffer.byteLength(event.message) + EVENT_OVERHEAD_BYTES;
  }
  if (bytes > MAX_BATCH_BYTES) {
    throw new AwsApiError(
      'InvalidParameterException',
      400,
      `Upload too large: ${bytes} bytes exceeds limit of ${MAX_BATCH_BYTES}`,
    );
  }
}

/** Drops up to `count` of a stream's oldest events. */
function drop(group: LogGroup, stream: LogStream, count: number): void {
  const dropped = stream.events.splice(0, count);
  for (const event of dropped) stream.storedBytes -= Buffer.byteLength(event.message);
  group.eventCount -= dropped.length;
}

function insertSorted(stream: LogStream, event: StoredLogEvent): void {
  const events = stream.events;
  // Almost always appended in order; fall back to a binary search for late arrivals.
  if (events.length === 0 || compareEvents(events[events.length - 1] as StoredLogEvent, event) <= 0) {
    events.push(event);
  } else {
    let lo = 0;
    let hi = events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareEvents(events[mid] as StoredLogEvent, event) <= 0) lo = mid + 1;
      else hi = mid;
    }
    events.splice(lo, 0, event);
  }
  stream.storedBytes += Buffer.byteLength(event.message);
  stream.lastIngestionTime = event.ingestionTime;
}

function compareEvents(
  a: { timestamp: number; eventId: string },
  b: { timestamp: number; eventId: string },
): number {
  return a.timestamp - b.timestamp || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);
}

function snapshot(group: LogGroup): JournalRecord[] {
  const records: JournalRecord[] = [{ k: 'g', c: group.creationTime }];
  for (const stream of group.streams.values()) {
    records.push({ k: 's', s: stream.name, c: stream.creationTime });
    for (const e of stream.events) {
      records.push({
        k: 'e',
        s: stream.name,
        t: e.timestamp,
        i: e.ingestionTime,
        id: e.eventId,
        m: e.message,
      });
    }
  }
  return records;
}

function groupArn(name: string): string {
  return `arn:aws:logs:${LOCAL_ACCOUNT.region}:${LOCAL_ACCOUNT.accountId}:log-group:${name}`;
}

function paginateByName(
  names: string[],
  limit: number,
  token?: string,
): { page: string[]; nextToken?: string } {
  const offset = decodeOffset(token);
  const page = names.slice(offset, offset + limit);
  return offset + limit < names.length ? { page, nextToken: encodeOffset(offset + limit) } : { page };
}

function encodeOffset(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

function decodeOffset(token: string | undefined): number {
  if (token === undefined) return 0;
  const value = decodeToken(token) as { o?: unknown };
  if (typeof value.o !== 'number') throw invalidToken();
  return value.o;
}

function encodeEventCursor(event: StoredLogEvent): string {
  return Buffer.from(JSON.stringify({ t: event.timestamp, id: event.eventId })).toString('base64url');
}

function decodeEventCursor(token: string | undefined): { timestamp: number; eventId: string } | undefined {
  if (token === undefined) return undefined;
  const value = decodeToken(token) as { t?: unknown; id?: unknown };
  if (typeof value.t !== 'number' || typeof value.id !== 'string') throw invalidToken();
  return { timestamp: value.t, eventId: value.id };
}

function parseStreamToken(
  token: string | undefined,
  fallback: string,
): { direction: 'f' | 'b'; index: number } {
  const match = /^([fb])\/(\d+)$/.exec(token ?? fallback);
  if (!match) throw invalidToken();
  return { direction: match[1] as 'f' | 'b', index: Number(match[2]) };
}

function decodeToken(token: string): unknown {
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidToken();
  }
}

function invalidToken(): AwsApiError {
  return new AwsApiError('InvalidParameterException', 400, 'The specified nextToken is invalid.');
}
