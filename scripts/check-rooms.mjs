// The rooms' import floors: a room (a folder under src/, or a single file there) may import only
// rooms on lower floors, so the room graph has no cycle and the data's path never climbs back.
// A room that needs something from a higher floor gets it passed in (a callback, an interface).
// Run by `npm run lint`; prints the room graph with --print.
import madge from 'madge';

/** Top floor first. Rooms on one floor do not import each other. */
const FLOORS = [
  ['cli'],
  ['eval'],
  ['pipeline'],
  ['serve'],
  ['publish'],
  ['kafka'],
  ['sources'],
  ['learner'],
  ['cluster', 'index', 'model', 'measure', 'checkpoint'],
  ['ops'],
  ['log'],
  ['events', 'metrics', 'config', 'backend'],
  ['util', 'errors'],
];

const floorOf = new Map(FLOORS.flatMap((rooms, floor) => rooms.map((room) => [room, floor])));
const roomOf = (file) => (file.includes('/') ? file.split('/')[0] : file.replace(/\.ts$/, ''));

const result = await madge('src', { fileExtensions: ['ts'], tsConfig: 'tsconfig.json' });
const graph = result.obj();
const problems = [];
const edges = new Map();
for (const [file, deps] of Object.entries(graph)) {
  const from = roomOf(file);
  if (!floorOf.has(from)) problems.push(`${file}: room "${from}" has no floor in scripts/check-rooms.mjs`);
  for (const dep of deps) {
    const to = roomOf(dep);
    if (to === from) continue;
    if (!edges.has(from)) edges.set(from, new Set());
    edges.get(from).add(to);
    if (floorOf.has(from) && floorOf.has(to) && floorOf.get(to) <= floorOf.get(from))
      problems.push(
        `${file} imports ${dep}: room "${from}" (floor ${floorOf.get(from)}) may not import "${to}" (floor ${floorOf.get(to)})`,
      );
  }
}
for (const cycle of result.circular()) problems.push(`import cycle: ${cycle.join(' -> ')}`);
if (process.argv.includes('--print')) for (const [from, to] of [...edges].sort()) console.log(`${from} -> ${[...to].sort().join(', ')}`);
if (problems.length) {
  console.error(`check-rooms: ${problems.length} problem(s)\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(`check-rooms: ${Object.keys(graph).length} files in ${edges.size} rooms, imports only go down a floor, no cycle`);
