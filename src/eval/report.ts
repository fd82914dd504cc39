import { EVAL_CHANNELS, type EvalData, type ModelRun, type RunName } from './evalHarness.js';
import { PREQUENTIAL_CHANNELS, PREQUENTIAL_PREFIX, type PrequentialChannel } from './prequentialRuns.js';

export interface AggregatedModel {
  seeds: number[];
  channels: Record<string, Record<string, number>>;
  /** Per-seed values beside each mean: perSeed.u2i["recall@20"] = [s1, s2, …]. */
  perSeed: Record<string, Record<string, number[]>>;
  /** Sample standard deviation over seeds (0 for one seed). */
  std: Record<string, Record<string, number>>;
  trainSeconds?: number;
  /** Learned models: the U2I user blend each seed served at measurement time. */
  u2iBlendPerSeed?: number[];
  /** Learned models: the popularity prior's beta per user segment, per seed. */
  priorBetaPerSeed?: Record<string, number>[];
  /** Each seed's serving choices at the end of the pass (results.json only). */
  choicesPerSeed?: unknown[];
  /** Prequential HR@K per window, mean over seeds, per channel checked. */
  prequential?: Partial<Record<PrequentialChannel, { endEvent: number; hitRate: number }[]>>;
}

export function aggregate(runs: Map<RunName, ModelRun[]>): Record<string, AggregatedModel> {
  const out: Record<string, AggregatedModel> = {};
  for (const [model, list] of runs) {
    const agg: AggregatedModel = { seeds: list.map((r) => r.seed), channels: {}, perSeed: {}, std: {} };
    for (const channel of EVAL_CHANNELS) {
      const present = list.filter((r) => r.channels[channel]);
      if (present.length === 0) continue;
      agg.channels[channel] = {};
      agg.perSeed[channel] = {};
      agg.std[channel] = {};
      for (const metric of Object.keys(present[0]!.channels[channel]!)) {
        const values = present.map((r) => r.channels[channel]![metric]!);
        const mean = values.reduce((a, b) => a + b, 0) / values.length;
        const variance = values.length > 1 ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1) : 0;
        agg.channels[channel]![metric] = mean;
        agg.perSeed[channel]![metric] = values;
        agg.std[channel]![metric] = Math.sqrt(variance);
      }
    }
    const times = list.map((r) => r.trainSeconds).filter((t): t is number => t !== undefined);
    if (times.length) agg.trainSeconds = times.reduce((a, b) => a + b, 0) / times.length;
    const blends = list.map((r) => r.u2iBlend).filter((b): b is number => b !== undefined);
    if (blends.length) agg.u2iBlendPerSeed = blends;
    const priors = list.map((r) => r.priorBeta).filter((b): b is Record<string, number> => b !== undefined);
    if (priors.length) agg.priorBetaPerSeed = priors;
    const choices = list.map((r) => r.choices).filter((c) => c !== undefined);
    if (choices.length) agg.choicesPerSeed = choices;
    const first = list[0]?.prequential;
    if (first) {
      agg.prequential = {};
      for (const channel of PREQUENTIAL_CHANNELS) {
        const windows = first[channel];
        if (!windows) continue;
        agg.prequential[channel] = windows.map((w, i) => ({
          endEvent: w.endEvent,
          hitRate: list.reduce((s, r) => s + (r.prequential?.[channel]?.[i]?.hitRate ?? 0), 0) / list.length,
        }));
      }
    }
    out[model] = agg;
  }
  return out;
}

const fmt = (mean: number | undefined, std: number | undefined) =>
  mean === undefined ? '—' : std ? `${mean.toFixed(4)} ± ${std.toFixed(4)}` : mean.toFixed(4);

export function markdownTable(
  models: Record<string, AggregatedModel>,
  data: Pick<EvalData, 'testUsers' | 'coldTestUsers' | 'testPairs'>,
): string {
  const cols: [string, string, string][] = [
    ['U2I R@20', 'u2i', 'recall@20'],
    ['U2I R@20 warm', 'u2i', 'recall@20/warm'],
    ['U2I R@20 cold', 'u2i', 'recall@20/cold'],
    ['U2I NDCG@20', 'u2i', 'ndcg@20'],
    ['U2I R@50', 'u2i', 'recall@50'],
    ['I2I HR@20', 'i2i', 'hr@20'],
    ['U2U R@20', 'u2u', 'recall@20'],
    ['MERGED R@20', 'merged', 'recall@20'],
    ['prequential HR@K', 'prequential', 'hr'],
    ['prequential MERGED HR@K', 'prequential', 'merged/hr'],
    ['prequential I2I HR@K', 'prequential', 'i2i/hr'],
    ['prequential U2U HR@K', 'prequential', 'u2u/hr'],
  ];
  const lines = [
    `Test users: ${data.testUsers} (${data.coldTestUsers} cold), consecutive I2I test pairs: ${data.testPairs}. Mean ± sample std over seeds.`,
    '',
    `| model | ${cols.map((c) => c[0]).join(' | ')} | U2I user blend | prior beta new/short/medium/long |`,
    `|---|${cols.map(() => '---').join('|')}|---|---|`,
  ];
  for (const [name, m] of Object.entries(models)) {
    lines.push(
      `| \`${name}\` | ${cols.map(([, ch, metric]) => fmt(m.channels[ch]?.[metric], m.std[ch]?.[metric])).join(' | ')} | ` +
        `${m.u2iBlendPerSeed?.join(' / ') ?? '—'} | ${m.priorBetaPerSeed?.map((b) => Object.values(b).join('/')).join(' ; ') ?? '—'} |`,
    );
  }
  return lines.join('\n');
}

/**
 * Prequential HR@K per channel and user segment at check time (distinct items before the batch:
 * none, 1-4, 5-19, 20+), with the trials: a row per model and channel it answers.
 */
export function prequentialSegmentTable(models: Record<string, AggregatedModel>): string {
  const segments = ['new', 'short', 'medium', 'long'];
  const rows = Object.entries(models).filter(([, m]) => m.channels.prequential !== undefined);
  if (rows.length === 0) return '';
  const lines = [
    'Prequential HR@K by channel and user segment (distinct items before the batch: new 0, short 1-4, medium 5-19, long 20+; trials in brackets):',
    '',
    `| model | channel | ${segments.join(' | ')} |`,
    `|---|---|${segments.map(() => '---').join('|')}|`,
  ];
  for (const [name, m] of rows) {
    const p = m.channels.prequential!;
    for (const channel of PREQUENTIAL_CHANNELS) {
      const prefix = PREQUENTIAL_PREFIX[channel];
      const label = `\`${name}\` | ${channel.toUpperCase()}`;
      if (p[`${prefix}hr`] === undefined) continue;
      const cell = (s: string) => {
        const hr = p[`${prefix}hr_${s}`];
        return hr === undefined ? '—' : `${hr.toFixed(4)} (${Math.round(p[`${prefix}trials_${s}`] ?? 0)})`;
      };
      lines.push(`| ${label} | ${segments.map(cell).join(' | ')} |`);
    }
  }
  return lines.join('\n');
}

const PALETTE = ['#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e', '#e6ab02', '#a6761d', '#666666'];
const esc = (s: string) => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Line charts of the prequential HR@K over the stream, one panel per channel (U2I, MERGED, I2I,
 * U2U), a line per model that answers it; each panel has its own scale.
 */
export function prequentialSvg(models: Record<string, AggregatedModel>, k: number): string {
  const names = Object.keys(models).filter((n) => Object.keys(models[n]!.prequential ?? {}).length > 0);
  const colour = (name: string) => PALETTE[names.indexOf(name) % PALETTE.length]!;
  const panel = { w: 420, h: 240 };
  const legendW = 170;
  const w = 2 * panel.w + legendW;
  const h = 2 * panel.h + 30;
  const pad = { l: 55, r: 20, t: 28, b: 36 };
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif" font-size="12">`,
    `<rect width="${w}" height="${h}" fill="white"/>`,
    `<text x="${pad.l}" y="18" font-size="14">Prequential HR@${k} (test-then-train) over the training stream, per channel</text>`,
  ];
  PREQUENTIAL_CHANNELS.forEach((channel, c) => {
    const ox = (c % 2) * panel.w;
    const oy = 30 + Math.floor(c / 2) * panel.h;
    const series = names.map((n) => [n, models[n]!.prequential?.[channel] ?? []] as const).filter(([, pts]) => pts.length > 0);
    const maxX = Math.max(1, ...series.flatMap(([, pts]) => pts.map((p) => p.endEvent)));
    const maxY = Math.max(0.01, ...series.flatMap(([, pts]) => pts.map((p) => p.hitRate))) * 1.1;
    const x = (v: number) => ox + pad.l + (v / maxX) * (panel.w - pad.l - pad.r);
    const y = (v: number) => oy + panel.h - pad.b - (v / maxY) * (panel.h - pad.t - pad.b);
    parts.push(`<text x="${ox + pad.l}" y="${oy + 16}" font-size="13">${channel.toUpperCase()}</text>`);
    parts.push(
      `<line x1="${x(0)}" y1="${y(0)}" x2="${x(maxX)}" y2="${y(0)}" stroke="black"/><line x1="${x(0)}" y1="${y(maxY)}" x2="${x(0)}" ` +
        `y2="${y(0)}" stroke="black"/>`,
    );
    for (let i = 0; i <= 4; i++) {
      const v = (maxY * i) / 4;
      parts.push(
        `<text x="${x(0) - 6}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(2)}</text><line x1="${x(0)}" x2="${x(maxX)}" y1="${y(v)}" ` +
          `y2="${y(v)}" stroke="#eee"/>`,
      );
      const xv = (maxX * i) / 4;
      parts.push(`<text x="${x(xv)}" y="${y(0) + 16}" text-anchor="middle">${Math.round(xv)}</text>`);
    }
    if (series.length === 0) parts.push(`<text x="${x(maxX / 2)}" y="${y(maxY / 2)}" text-anchor="middle">no model answers it</text>`);
    for (const [name, pts] of series) {
      const line = pts.map((p) => `${x(p.endEvent).toFixed(1)},${y(p.hitRate).toFixed(1)}`).join(' ');
      parts.push(`<polyline fill="none" stroke="${colour(name)}" stroke-width="2" points="${line}"><title>${esc(name)}</title></polyline>`);
    }
  });
  parts.push(`<text x="${panel.w}" y="${h - 6}" text-anchor="middle">events</text>`);
  names.forEach((name, i) =>
    parts.push(
      `<rect x="${2 * panel.w + 10}" y="${60 + i * 18}" width="12" height="12" fill="${colour(name)}"/><text x="${2 * panel.w + 28}" ` +
        `y="${60 + i * 18 + 10}">${esc(name)}</text>`,
    ),
  );
  parts.push('</svg>');
  return parts.join('\n');
}

/** Grouped bars: one group per channel (U2I R@20, I2I HR@20, U2U R@20, MERGED R@20), one bar per model. */
export function ablationSvg(models: Record<string, AggregatedModel>, order: readonly string[]): string {
  const metrics: [string, string, string][] = [
    ['U2I Recall@20', 'u2i', 'recall@20'],
    ['I2I HR@20', 'i2i', 'hr@20'],
    ['U2U Recall@20', 'u2u', 'recall@20'],
    ['MERGED Recall@20', 'merged', 'recall@20'],
  ];
  const names = order.filter((n) => models[n]);
  const w = 760;
  const h = 360;
  const pad = { l: 60, r: 150, t: 30, b: 40 };
  const maxY = Math.max(0.01, ...names.flatMap((n) => metrics.map(([, c, m]) => models[n]!.channels[c]?.[m] ?? 0))) * 1.15;
  const groupW = (w - pad.l - pad.r) / metrics.length;
  const barW = (groupW * 0.8) / Math.max(1, names.length);
  const y = (v: number) => h - pad.b - (v / maxY) * (h - pad.t - pad.b);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif" font-size="12">`,
    `<rect width="${w}" height="${h}" fill="white"/>`,
  ];
  parts.push(`<text x="${pad.l}" y="18" font-size="14">Per-channel quality by model (mean over seeds)</text>`);
  parts.push(`<line x1="${pad.l}" y1="${h - pad.b}" x2="${w - pad.r}" y2="${h - pad.b}" stroke="black"/>`);
  for (let i = 0; i <= 4; i++) {
    const v = (maxY * i) / 4;
    parts.push(
      `<text x="${pad.l - 6}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(2)}</text><line x1="${pad.l}" x2="${w - pad.r}" y1="${y(v)}" ` +
        `y2="${y(v)}" stroke="#eee"/>`,
    );
  }
  metrics.forEach(([label, c, m], g) => {
    const gx = pad.l + g * groupW + groupW * 0.1;
    names.forEach((n, i) => {
      const v = models[n]!.channels[c]?.[m];
      if (v === undefined) return;
      parts.push(
        `<rect x="${(gx + i * barW).toFixed(1)}" y="${y(v).toFixed(1)}" width="${(barW * 0.9).toFixed(1)}" ` +
          `height="${(h - pad.b - y(v)).toFixed(1)}" fill="${PALETTE[i % PALETTE.length]}"><title>${esc(n)} ${label} ${v.toFixed(4)}</title></rect>`,
      );
    });
    parts.push(`<text x="${pad.l + g * groupW + groupW / 2}" y="${h - pad.b + 16}" text-anchor="middle">${label}</text>`);
  });
  names.forEach((n, i) =>
    parts.push(
      `<rect x="${w - pad.r + 10}" y="${pad.t + i * 18}" width="12" height="12" fill="${PALETTE[i % PALETTE.length]}"/><text ` +
        `x="${w - pad.r + 28}" y="${pad.t + i * 18 + 10}">${esc(n)}</text>`,
    ),
  );
  parts.push('</svg>');
  return parts.join('\n');
}
