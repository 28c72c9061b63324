// The room argument: [{id: …}] or [{name: …}] per row. With no rows the argument is left out
// altogether, so giosg uses the domain's room.
import { getType, makeString } from 'gtm';
import { column, createKeySet, readRows } from './keys';
import { describe } from './values';

export type Room = { id: string } | { name: string };

export function buildRooms(rawRows: unknown): { rooms: Room[]; problems: string[] } {
  const problems: string[] = [];
  const rooms: Room[] = [];
  const rows = readRows(rawRows);
  if (rows === undefined)
    problems.push('"Rooms" must be a table (a list of rows), but it is ' + describe(rawRows) + '.');
  const seen = createKeySet();
  (rows ?? []).forEach((row, index) => {
    const where = 'Rooms row ' + (index + 1);
    const rawBy = column(row, 'by');
    const by = rawBy === undefined || rawBy === null || rawBy === '' ? 'id' : rawBy;
    if (by !== 'id' && by !== 'name') {
      problems.push(
        where + ': "Room by" must be id or name, but it is ' + describe(rawBy) + '; the row was left out.',
      );
      return;
    }
    const rawRoom = column(row, 'room');
    const roomType = getType(rawRoom);
    const room = roomType === 'string' || roomType === 'number' ? makeString(rawRoom).trim() : '';
    if (room === '') {
      problems.push(
        where +
          ' has no room ' +
          (by === 'id' ? 'ID' : 'name') +
          '; it was left out. Fill in the Room column or delete the row.',
      );
      return;
    }
    if (seen.has(by + ':' + room)) {
      problems.push(
        where + ': room ' + by + ' "' + room + '" is already in an earlier row; this row was left out.',
      );
      return;
    }
    seen.add(by + ':' + room);
    rooms.push(by === 'id' ? { id: room } : { name: room });
  });
  return { rooms: rooms, problems: problems };
}
