import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AssignerProtocol } from 'kafkajs';
import { leaseAssigner, leaseHolder } from '../src/kafka/writerLease.js';
const member = (memberId, held, since) => ({
    memberId,
    memberMetadata: leaseAssigner(() => ({ held, since })).protocol({ topics: ['lease'] }).metadata,
});
test('the lease stays with the member that holds it, whoever joins and whatever their ids', () => {
    assert.equal(leaseHolder([member('a-newcomer', false, 1), member('z-writer', true, 500), member('m', false, 2)]), 'z-writer');
});
test('with no holder the member waiting longest gets it; ties go to the lowest id; unreadable claims come last', () => {
    assert.equal(leaseHolder([member('b', false, 300), member('c', false, 100), member('a', false, 200)]), 'c');
    assert.equal(leaseHolder([member('b', false, 100), member('a', false, 100)]), 'a');
    assert.equal(leaseHolder([{ memberId: 'garbled', memberMetadata: Buffer.from('not metadata') }, member('late', false, 9e15)]), 'late');
    assert.equal(leaseHolder([]), undefined);
});
test('the assignment gives the one partition to the holder and nothing to the others', async () => {
    const assigner = leaseAssigner(() => ({ held: false, since: 0 }));
    const out = await assigner.assign({ members: [member('x', false, 5), member('y', true, 9)], topics: ['lease'] });
    const decoded = Object.fromEntries(out.map((o) => [o.memberId, AssignerProtocol.MemberAssignment.decode(o.memberAssignment).assignment]));
    assert.deepEqual(decoded, { x: {}, y: { lease: [0] } });
});
//# sourceMappingURL=writerLease.test.js.map