import { Gauge, type Registry } from 'prom-client';
import type { Instrumentation } from './instrumentation.js';

/**
 * The gauges of the learner's serving choices (U2I blend, generic list, popularity prior, I2I
 * co-occurrence and U2U co-consumption fusions, merged weights): what is served and each candidate's test-then-train evidence, set at each
 * index refresh. @returns the unsubscribe functions.
 */
export function servingChoiceMetrics(registry: Registry, instrumentation: Instrumentation): Array<() => void> {
  const gauge = <L extends string>(name: string, help: string, labelNames: L[] = []) =>
    new Gauge<L>({ name, help, labelNames, registers: [registry] });
  const blendHitRate = gauge(
    'micstream_u2i_blend_hit_rate',
    "Decayed HR@20 of each candidate U2I blend on returning users' events (test-then-train; --u2i-user-blend auto)",
    ['alpha'],
  );
  const blendChecks = gauge('micstream_u2i_blend_checks', 'Returning events checked so far by the auto U2I blend');
  const genericServed = gauge(
    'micstream_generic_list_served',
    'The generic list each audience gets (first-time: users without a vector; returning: merged recall and I2I), 1 for the served list',
    ['audience', 'list'],
  );
  const genericHitRate = gauge(
    'micstream_generic_list_hit_rate',
    "Decayed HR@20 of each candidate generic list on its audience's events, a returning user's items left out (test-then-train)",
    ['audience', 'list'],
  );
  const genericChecks = gauge('micstream_generic_list_checks', "The audience's events checked so far by its generic-list choice", [
    'audience',
  ]);
  const priorBeta = gauge(
    'micstream_popularity_prior_beta',
    'Weight beta of the popularity prior in U2I scores (cos + beta * tau * log q) per user segment, as served',
    ['segment'],
  );
  const priorHitRate = gauge(
    'micstream_popularity_prior_hit_rate',
    "Decayed HR@20 of U2I answers under each candidate beta on the stream's events, per user segment (test-then-train)",
    ['segment', 'beta'],
  );
  const priorChecks = gauge('micstream_popularity_prior_checks', 'Events checked so far by the popularity-prior choice, per user segment', [
    'segment',
  ]);
  const i2iWeight = gauge(
    'micstream_i2i_cooccurrence_weight',
    "Weight of the streaming co-occurrence neighbours against the towers' nearest items in I2I answers, as served",
  );
  const i2iHitRate = gauge(
    'micstream_i2i_cooccurrence_hit_rate',
    'Decayed HR@20 of the I2I answer for the previous item under each candidate co-occurrence weight (test-then-train)',
    ['weight'],
  );
  const i2iChecks = gauge('micstream_i2i_cooccurrence_checks', 'Consecutive item pairs checked so far by the I2I fusion choice');
  const i2iGenericWeight = gauge(
    'micstream_i2i_generic_weight',
    'Weight of the generic (non-personal) list fused into I2I answers, as served (0 = none)',
  );
  const i2iGenericHitRate = gauge(
    'micstream_i2i_generic_hit_rate',
    'Decayed HR@20 of the I2I answer for the previous item under each candidate generic-list weight (test-then-train)',
    ['weight'],
  );
  const mergedWeight = gauge(
    'micstream_merged_weight',
    "Merged recall's fusion weight per user segment and channel, as served (--merged-fusion auto: I2I and generic chosen by checks)",
    ['segment', 'channel'],
  );
  const mergedHitRate = gauge(
    'micstream_merged_hit_rate',
    "Decayed HR@20 of merged recall on returning users' events per segment, under the served and under the configured weights",
    ['segment', 'weights'],
  );
  const mergedChecks = gauge('micstream_merged_checks', 'Returning events checked so far by the merged fusion choice, per user segment', [
    'segment',
  ]);
  const i2iPairs = gauge(
    'micstream_i2i_cooccurrence_pairs',
    'Item pairs held by the co-occurrence table (one per direction; bounded per item)',
  );
  const u2uWeight = gauge(
    'micstream_u2u_coconsumption_weight',
    "Weight of the streaming co-consumption neighbours against the towers' nearest users in U2U answers, as served",
  );
  const u2uHitRate = gauge(
    'micstream_u2u_coconsumption_hit_rate',
    "Decayed HR@20 of the items recommended through a user's neighbours under each candidate co-consumption weight (test-then-train)",
    ['weight'],
  );
  const u2uChecks = gauge('micstream_u2u_coconsumption_checks', 'Events checked so far by the U2U fusion choice');
  return [
    instrumentation.on('u2u.fusion', (e) => {
      u2uWeight.set(e.weight);
      e.candidates.forEach((weight, c) => u2uHitRate.set({ weight: String(weight) }, e.hitRates[c] ?? 0));
      u2uChecks.set(e.checks);
    }),
    instrumentation.on('u2i.blend', (e) => {
      e.candidates.forEach((alpha, c) => blendHitRate.set({ alpha: String(alpha) }, e.hitRates[c] ?? 0));
      blendChecks.set(e.checks);
    }),
    instrumentation.on('generic.list', (e) => {
      const audience = e.audience;
      e.candidates.forEach((list, c) => {
        genericHitRate.set({ audience, list }, e.hitRates[c] ?? 0);
        genericServed.set({ audience, list }, list === e.served ? 1 : 0);
      });
      genericChecks.set({ audience }, e.checks);
    }),
    instrumentation.on('popularity.prior', (e) => {
      for (const [segment, ev] of Object.entries(e.segments)) {
        priorBeta.set({ segment }, ev.beta);
        priorChecks.set({ segment }, ev.checks);
        e.candidates.forEach((beta, c) => priorHitRate.set({ segment, beta: String(beta) }, ev.hitRates[c] ?? 0));
      }
    }),
    instrumentation.on('merged.fusion', (e) => {
      for (const [segment, s] of Object.entries(e)) {
        mergedWeight.set({ segment, channel: 'i2i' }, s.i2i);
        mergedWeight.set({ segment, channel: 'generic' }, s.generic);
        mergedHitRate.set({ segment, weights: 'served' }, s.hitRate);
        mergedHitRate.set({ segment, weights: 'configured' }, s.configuredHitRate);
        mergedChecks.set({ segment }, s.checks);
      }
    }),
    instrumentation.on('i2i.fusion', (e) => {
      i2iWeight.set(e.weight);
      e.candidates.forEach((weight, c) => i2iHitRate.set({ weight: String(weight) }, e.hitRates[c] ?? 0));
      i2iChecks.set(e.checks);
      i2iPairs.set(e.pairs);
      i2iGenericWeight.set(e.generic.weight);
      e.generic.candidates.forEach((weight, c) => i2iGenericHitRate.set({ weight: String(weight) }, e.generic.hitRates[c] ?? 0));
    }),
  ];
}
