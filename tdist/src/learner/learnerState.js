export const LEARNER_STATE_FORMAT = 1;
export function learnerShape(o) {
    return {
        embeddingDim: o.embeddingDim,
        hiddenDim: o.hiddenDim,
        outputDim: o.outputDim,
        towerKind: o.towerKind,
        historyLength: o.historyLength,
    };
}
/**
 * Why a state cannot be restored under these options (null: it can). A learner restored under other
 * shapes could not read its rows and weights; other options (rates, probes) may change between runs.
 */
export function restoreProblem(o, state) {
    if (state.format !== LEARNER_STATE_FORMAT)
        return `state format ${String(state.format)}, this build reads ${LEARNER_STATE_FORMAT}`;
    const want = learnerShape(o);
    const got = state.shape;
    const differ = Object.keys(want).filter((k) => got?.[k] !== want[k]);
    return differ.length === 0
        ? null
        : `written with ${differ.map((k) => `${k} ${String(got?.[k])}`).join(', ')}; configured ${differ.map((k) => `${k} ${want[k]}`).join(', ')}`;
}
//# sourceMappingURL=learnerState.js.map