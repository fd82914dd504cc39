"""PyTorch reference for `npm run bench:train`: micstream's two-tower model and losses, step for step.

Same model: one sparse embedding table for user ids, item ids and attribute values (Adagrad on the
rows a batch touches), tower input [id ; mean(attributes) ; mean(history) ; mean(most recent)],
Dense(relu) -> Dense -> L2 norm per side, Adam on the dense weights. Same losses: in-batch softmax
user->item with logQ (plain DSSM); MIC adds item->user, and U2U / I2I NT-Xent between each entity
and its field-masked view (embedding dropout 0.1) with 2 kNN positives and 4 cluster hard negatives
per anchor, looked up each step against a snapshot of all vectors refreshed every 50 steps (k-means
on the snapshot, 16 clusters), and the next-item task (the user's previous item, through the item
tower, as a query against the batch's items: in-batch softmax with logQ, its own column removed),
weights 1 / 0.05 / 0.05 / 0.05 / 0.7 (U2I / I2U / U2U / I2I / next), temperatures 0.1 and 0.5.

The batches have the shape the TF.js run measured (--shape: unique users and items per batch, mean
history and attribute counts), drawn from Zipf popularity; building them is not timed (the TF.js
step does include its host-side batch preparation). Prints one JSON row.
"""
import argparse
import json
import time

import numpy as np
import torch
import torch.nn.functional as F

REFRESH_EVERY = 50
KNN_POSITIVES, HARD_NEGATIVES, HARD_POOL, CLUSTERS = 2, 4, 32, 16
TAU, TAU_C, LAMBDA, DROPOUT, I2U, NEXT = 0.1, 0.5, 0.05, 0.1, 0.05, 0.7
MASK = dict(id=0.5, attributes=0.2, history=0.3)  # micstream's masking defaults (per item of the sequence)


class Tower(torch.nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.l1 = torch.nn.Linear(4 * dim, hidden)
        self.l2 = torch.nn.Linear(hidden, dim)

    def forward(self, x):
        return F.normalize(self.l2(torch.relu(self.l1(x))), dim=1)


def bags(lists):
    flat = np.concatenate([np.asarray(l, dtype=np.int64) for l in lists]) if lists else np.zeros(0, np.int64)
    offsets = np.cumsum([0] + [len(l) for l in lists[:-1]])
    return torch.from_numpy(flat), torch.from_numpy(np.asarray(offsets, dtype=np.int64))


class Side:
    """Field lists of n entities -> four (indices, offsets) bags."""

    def __init__(self, ids, attrs, hist):
        self.fields = [bags([[i] if i >= 0 else [] for i in ids]), bags(attrs), bags(hist), bags([h[-1:] for h in hist])]


def features(table, side):
    return torch.cat([F.embedding_bag(idx, table, off, mode='mean', sparse=True) for idx, off in side.fields], dim=1)


def in_batch_softmax(q, c, target, logq):
    return F.cross_entropy(q @ c.T / TAU - logq, target)


def next_item(items, query, target, logq):
    logits = items[query] @ items.T / TAU - logq
    logits[torch.arange(len(query)), query] = -1e9  # not itself
    return F.cross_entropy(logits, target)


def contrastive(a, b, pos, neg):
    n = a.shape[0]
    z = torch.cat([a, b])
    sim = z @ z.T / TAU_C - torch.eye(2 * n) * 1e9
    cols = [sim]
    w = [F.one_hot(torch.cat([torch.arange(n, 2 * n), torch.arange(n)]), 2 * n).float()]
    if neg is not None:
        cols.append(torch.einsum('nd,nkd->nk', z, torch.cat([neg, neg])) / TAU_C)
        w.append(torch.zeros(2 * n, neg.shape[1]))
    if pos is not None:
        cols.append(torch.einsum('nd,nkd->nk', z, torch.cat([pos, pos])) / TAU_C)
        w.append(torch.full((2 * n, pos.shape[1]), 0.5))
    logits = torch.cat(cols, 1)
    weights = torch.cat(w, 1)
    return (-(weights * torch.log_softmax(logits, 1)).sum(1) / weights.sum(1)).mean()


def kmeans(x, k, iters=10, seed=0):
    g = torch.Generator().manual_seed(seed)
    centres = x[torch.randperm(x.shape[0], generator=g)[:k]].clone()
    for _ in range(iters):
        assign = (x @ centres.T).argmax(1)
        for c in range(k):
            m = assign == c
            if m.any():
                centres[c] = x[m].mean(0)
    return (x @ centres.T).argmax(1)


def extras(anchor_rows, snapshot, clusters):
    """kNN positives and hard negatives (nearest neighbours in other clusters) from the snapshot."""
    q = snapshot[anchor_rows]
    sims = q @ snapshot.T
    sims[torch.arange(len(anchor_rows)), anchor_rows] = -2  # not itself
    top = sims.topk(HARD_POOL + 1, dim=1).indices
    pos = snapshot[top[:, :KNN_POSITIVES]]
    other = clusters[top] != clusters[anchor_rows].unsqueeze(1)
    order = torch.argsort((~other).float(), dim=1, stable=True)[:, :HARD_NEGATIVES]
    neg = snapshot[torch.gather(top, 1, order)]
    return pos, neg


def make_batches(a, rng, count):
    s = json.loads(a.shape)
    n_users, n_items = a.users, a.items
    n_attr_values = 200
    user_row = lambda u: 1 + u
    item_row = lambda i: 1 + n_users + i
    attr_row = lambda v: 1 + n_users + n_items + v
    zipf_u = 1.0 / np.arange(1, n_users + 1) ** 0.6
    zipf_u /= zipf_u.sum()
    zipf_i = 1.0 / np.arange(1, n_items + 1) ** 0.9
    zipf_i /= zipf_i.sum()

    def side(ids, to_row, other_row, n_other, zipf_other, hist_mean, attr_mean):
        rows = [to_row(i) for i in ids]
        attrs = [[attr_row(v) for v in rng.choice(n_attr_values, max(1, int(round(attr_mean))), replace=False)] for _ in ids]
        hist = [[other_row(int(o)) for o in rng.choice(n_other, min(a.history_slots, rng.poisson(hist_mean)), p=zipf_other)] for _ in ids]
        return rows, attrs, hist

    def masked(rows, attrs, hist):
        keep = lambda p: rng.random() >= p
        return ([r if keep(MASK['id']) else -1 for r in rows],
                [[v for v in l if keep(MASK['attributes'])] for l in attrs],
                [[v for v in l if keep(MASK['history'])] for l in hist])

    out = []
    for _ in range(count):
        users = rng.choice(n_users, int(round(s['usersPerBatch'])), replace=False, p=zipf_u)
        items = rng.choice(n_items, int(round(s['itemsPerBatch'])), replace=False, p=zipf_i)
        u = side(users, user_row, item_row, n_items, zipf_i, s['userHistory'], s['userAttributes'])
        i = side(items, item_row, user_row, n_users, zipf_u, s['itemHistory'], s['itemAttributes'])
        ev_user = np.concatenate([np.arange(len(users)), rng.integers(0, len(users), a.batch - len(users))])
        ev_item = np.concatenate([np.arange(len(items)), rng.integers(0, len(items), max(0, a.batch - len(items)))])[: a.batch]
        pairs = int(round(s.get('nextPairs', 0)))
        next_q = rng.integers(0, len(items), pairs)
        next_t = (next_q + 1 + rng.integers(0, max(1, len(items) - 1), pairs)) % len(items)
        out.append(dict(
            users=Side(*u), items=Side(*i), user_views=Side(*masked(*u)), item_views=Side(*masked(*i)),
            user_ids=torch.from_numpy(users), item_ids=torch.from_numpy(items),
            ev_user=torch.from_numpy(ev_user), ev_item=torch.from_numpy(ev_item),
            logq_u=torch.from_numpy(np.log(zipf_u[users]).astype(np.float32)),
            logq_i=torch.from_numpy(np.log(zipf_i[items]).astype(np.float32)),
            next_q=torch.from_numpy(next_q), next_t=torch.from_numpy(next_t),
        ))
    return out, 1 + n_users + n_items + n_attr_values


def main():
    p = argparse.ArgumentParser()
    for name, typ in [('--model', str), ('--batch', int), ('--dim', int), ('--hidden', int), ('--users', int), ('--items', int),
                      ('--history-slots', int), ('--seconds', float), ('--shape', str), ('--threads', int)]:
        p.add_argument(name, type=typ, required=True)
    a = p.parse_args()
    torch.manual_seed(1)
    torch.set_num_threads(a.threads)
    rng = np.random.default_rng(1)
    batches, n_rows = make_batches(a, rng, 16)
    mic = a.model != 'dssm'
    table = torch.nn.Parameter(torch.randn(n_rows, a.dim) * 0.05)
    user_tower, item_tower = Tower(a.dim, a.hidden), Tower(a.dim, a.hidden)
    sparse_opt = torch.optim.Adagrad([table], lr=0.05)
    dense_opt = torch.optim.Adam([*user_tower.parameters(), *item_tower.parameters()], lr=0.002)
    snap_users = snap_items = clusters_u = clusters_i = None

    def refresh():
        nonlocal snap_users, snap_items, clusters_u, clusters_i
        with torch.no_grad():
            w = table.detach()
            snap_users = F.normalize(w[1:1 + a.users], dim=1)
            snap_items = F.normalize(w[1 + a.users:1 + a.users + a.items], dim=1)
            clusters_u, clusters_i = kmeans(snap_users, CLUSTERS), kmeans(snap_items, CLUSTERS)

    def step(b):
        users = user_tower(features(table, b['users']))
        items = item_tower(features(table, b['items']))
        loss = in_batch_softmax(users[b['ev_user']], items, b['ev_item'], b['logq_i'])
        if mic:
            loss = loss + I2U * in_batch_softmax(items[b['ev_item']], users, b['ev_user'], b['logq_u'])
            with torch.no_grad():
                pu, nu = extras(b['user_ids'], snap_users, clusters_u)
                pi, ni = extras(b['item_ids'], snap_items, clusters_i)
            uv = user_tower(F.dropout(features(table, b['user_views']), DROPOUT))
            iv = item_tower(F.dropout(features(table, b['item_views']), DROPOUT))
            loss = loss + LAMBDA * contrastive(users, uv, pu, nu) + LAMBDA * contrastive(items, iv, pi, ni)
            if len(b['next_q']):
                loss = loss + NEXT * next_item(items, b['next_q'], b['next_t'], b['logq_i'])
        sparse_opt.zero_grad(set_to_none=True)
        dense_opt.zero_grad(set_to_none=True)
        loss.backward()
        sparse_opt.step()
        dense_opt.step()
        return loss.item()

    refresh()
    n = 0
    for _ in range(30):
        step(batches[n % len(batches)])
        n += 1
    times = []
    deadline = time.perf_counter() + a.seconds
    while len(times) < 8 or (time.perf_counter() < deadline and len(times) < 400):
        t0 = time.perf_counter()
        step(batches[n % len(batches)])
        times.append((time.perf_counter() - t0) * 1000)
        n += 1
        if n % REFRESH_EVERY == 0:
            refresh()
    med = float(np.median(times))
    print(json.dumps(dict(impl='torch', backend=f'torch {torch.__version__} cpu ({a.threads} threads)', model=a.model, batch=a.batch, dim=a.dim,
                          steps=len(times), medianStepMs=round(med, 2), eventsPerSecond=int(round(a.batch / med * 1000)))))


if __name__ == '__main__':
    main()
