// Deciding which `_giosg(...)` calls one firing makes, from the form alone. Pure: main.ts performs
// the calls. The call forms are the data contract (DESIGN.md §5):
//   ('visitor', 'submit', properties | token, algorithm, replaceExisting[, rooms])
//   ('visitor', 'remove', key)   once per key
//   ('visitor', 'removeAll')
import { getType, Object } from 'gtm';
import { readChecksum, type HashAlgorithm } from './checksum';
import type { UntrustedData } from './fields';
import { checkJwt, JWT_ALGORITHMS, type JwtAlgorithm } from './jwt';
import { column, createKeySet, readKey, readRows } from './keys';
import { buildProperties, type Properties } from './properties';
import { buildRooms, type Room } from './rooms';
import { describe, toBoolean } from './values';

export type GiosgCall = unknown[];

export interface Plan {
  calls: GiosgCall[];
  problems: string[];
}

const ACTIONS: readonly string[] = ['submit', 'remove', 'removeAll'];

/** A checkbox: a boolean, or a yes/no word if a variable filled it; missing means unticked. */
export function readFlag(raw: unknown, label: string, problems: string[]): boolean {
  if (raw === undefined || raw === null || raw === '') return false;
  const converted = toBoolean(raw);
  if (converted.kind === 'value') return converted.value === true;
  problems.push(
    '"' + label + '" must be ticked or unticked, but it is ' + describe(raw) + '; treated as unticked.',
  );
  return false;
}

function readChoice(raw: unknown, fallback: string, allowed: readonly string[]): string | undefined {
  if (raw === undefined || raw === null || raw === '') return fallback;
  return getType(raw) === 'string' && allowed.indexOf(raw as string) >= 0 ? (raw as string) : undefined;
}

function submitCall(
  payload: unknown,
  algorithm: string,
  replaceExisting: boolean,
  rooms: unknown[],
): GiosgCall {
  // No rooms: leave the argument out (five arguments) so giosg uses the domain's room.
  const call: GiosgCall = ['visitor', 'submit', payload, algorithm, replaceExisting];
  if (rooms.length > 0) call.push(rooms);
  return call;
}

/** The properties without `_checksum`/`_exp`, which the checksum step sets on its own. */
function withoutChecksumFields(properties: Properties): { payload: Properties; count: number } {
  const payload: Properties = {};
  let count = 0;
  Object.keys(properties).forEach((key) => {
    if (key !== '_checksum' && key !== '_exp') {
      payload[key] = properties[key];
      count++;
    }
  });
  return { payload: payload, count: count };
}

function planSubmit(data: UntrustedData, problems: string[]): GiosgCall[] {
  const roomList = buildRooms(data.rooms);
  const calls = planSubmitWithRooms(data, roomList.rooms, problems);
  // Reported after the variables' problems: the order the form shows them in.
  roomList.problems.forEach((problem) => problems.push(problem));
  return calls;
}

function planSubmitWithRooms(data: UntrustedData, rooms: Room[], problems: string[]): GiosgCall[] {
  const signing = readChoice(data.signing, 'plain', ['plain', 'md5', 'sha1'].concat(JWT_ALGORITHMS));
  const replaceExisting = readFlag(
    data.replaceExisting,
    "Replace the visitor's existing variables",
    problems,
  );

  if (signing === undefined) {
    problems.push(
      'Unknown signing ' +
        describe(data.signing) +
        '; nothing was sent. Choose plain, a JWT algorithm, md5 or sha1.',
    );
    return [];
  }
  if (JWT_ALGORITHMS.indexOf(signing) >= 0) {
    // The token carries the variables; the table and the object variable do not apply.
    const jwt = checkJwt(data.token, signing as JwtAlgorithm);
    if (!jwt.ok) {
      problems.push(jwt.reason + ' Nothing was sent.');
      return [];
    }
    return [submitCall(jwt.token, signing, replaceExisting, rooms)];
  }

  const built = buildProperties(data.propertiesObject, data.properties);
  built.problems.forEach((problem) => problems.push(problem));
  if (signing === 'plain') {
    if (built.count === 0) {
      problems.push(
        'There are no visitor variables to send. Add rows to the table or pick an object variable.',
      );
      return [];
    }
    return [submitCall(built.properties, 'plain', replaceExisting, rooms)];
  }

  const checksum = readChecksum(
    signing as HashAlgorithm,
    data.checksum,
    data.checksumExpiry,
    built.properties,
  );
  const signed = withoutChecksumFields(built.properties);
  if (!checksum.ok) {
    problems.push(checksum.reason + ' Nothing was sent.');
    return [];
  }
  if (signed.count === 0) {
    problems.push(
      'There are no visitor variables to send with the checksum. Add rows to the table or pick an object variable.',
    );
    return [];
  }
  signed.payload._checksum = checksum.checksum;
  if (checksum.expiry !== undefined) signed.payload._exp = checksum.expiry;
  return [submitCall(signed.payload, signing, replaceExisting, rooms)];
}

function planRemove(data: UntrustedData, problems: string[]): GiosgCall[] {
  const rows = readRows(data.removeKeys);
  if (rows === undefined)
    problems.push(
      '"Variables to remove" must be a table (a list of rows), but it is ' + describe(data.removeKeys) + '.',
    );
  const calls: GiosgCall[] = [];
  const seen = createKeySet();
  (rows ?? []).forEach((row, index) => {
    const where = 'Variables to remove row ' + (index + 1);
    const key = readKey(column(row, 'key'));
    if (!key.ok) problems.push(where + ' ' + key.reason + '; it was skipped.');
    else if (seen.has(key.key))
      problems.push(where + ': "' + key.key + '" is already in an earlier row; it was skipped.');
    else {
      seen.add(key.key);
      calls.push(['visitor', 'remove', key.key]);
    }
  });
  if (calls.length === 0 && rows !== undefined) {
    problems.push(
      'There are no variable names to remove. Add rows to "Variables to remove", or choose "Remove all visitor variables".',
    );
  }
  return calls;
}

export function planCalls(data: UntrustedData): Plan {
  const problems: string[] = [];
  const action = readChoice(data.action, 'submit', ACTIONS);
  let calls: GiosgCall[] = [];
  if (action === 'submit') calls = planSubmit(data, problems);
  else if (action === 'remove') calls = planRemove(data, problems);
  else if (action === 'removeAll') calls = [['visitor', 'removeAll']];
  else
    problems.push(
      'Unknown action ' + describe(data.action) + '; nothing was sent. Choose submit, remove or removeAll.',
    );
  return { calls: calls, problems: problems };
}
