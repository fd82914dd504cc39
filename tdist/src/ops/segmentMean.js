import * as tf from '@tensorflow/tfjs';
/**
 * Segment means of rows [rowCount, dim] on the native backend: output row g is the mean of
 * rows[idx[s]] over the slots s with seg[s] = g (zeros for a segment without slots; seg ascends).
 * One SparseSegmentMeanWithNumSegments kernel forward and one SparseSegmentMeanGrad backward
 * (tfjs has no such kernel; gather + multiply + UnsortedSegmentSum materialises a [slots, dim]
 * matrix twice per direction). Differentiable w.r.t. `rows`. @returns [segments, dim]
 */
export function sparseSegmentMean(native, rows, idx, seg, segments) {
    const rowCount = rows.shape[0];
    const idxT = tf.tensor1d(idx, 'int32');
    const segT = tf.tensor1d(seg, 'int32');
    const mean = tf.customGrad(((r, save) => {
        const count = tf.scalar(segments, 'int32');
        const pooled = native.run('SparseSegmentMeanWithNumSegments', { T: 'float32', Tidx: 'int32', Tnumsegments: 'int32', Tsegmentids: 'int32' }, [r, idxT, segT, count]);
        // Saved, not closed over: the forward's tidy disposes every tensor it neither returns nor saves.
        save([idxT, segT]);
        return {
            value: pooled,
            gradFunc: (dy, saved) => {
                const outputRows = tf.scalar(rowCount, 'int32');
                return native.run('SparseSegmentMeanGrad', { T: 'float32', Tidx: 'int32', Tsegmentids: 'int32' }, [
                    dy,
                    saved[0],
                    saved[1],
                    outputRows,
                ]);
            },
        };
    }));
    return mean(rows);
}
//# sourceMappingURL=segmentMean.js.map