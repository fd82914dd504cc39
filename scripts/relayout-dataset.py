#!/usr/bin/env python3
"""Re-lays a RecBole atomic dataset out as another layout a user might hand micstream, to check that
`micstream eval` / `train --data` read it without a knob changed (docs/EVALUATION.md, "Other layouts").

  scripts/relayout-dataset.py SRC_FOLDER OUT_FOLDER LAYOUT
    LAYOUT: movielens-csv   ratings.csv (userId,movieId,rating,timestamp)
            movielens-dat   ratings.dat (UserID::MovieID::Rating::Timestamp)
            recbole-yelp    <name>.inter as RecBole's own Yelp conversion names it:
                            review_id, user_id, business_id, stars, date (milliseconds)
The events are the same; only names, separators and the time unit change.
"""
import os
import sys


def main() -> None:
    src, out, layout = sys.argv[1:4]
    inter = next(f for f in sorted(os.listdir(src)) if f.endswith('.inter'))
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(src, inter), encoding='utf-8') as f:
        header = [h.split(':')[0] for h in f.readline().rstrip('\n').split('\t')]
        u, i, t = header.index('user_id'), header.index('item_id'), header.index('timestamp')
        rows = [line.rstrip('\n').split('\t') for line in f if line.strip()]
    if layout == 'movielens-csv':
        with open(os.path.join(out, 'ratings.csv'), 'w', encoding='utf-8') as f:
            f.write('userId,movieId,rating,timestamp\n')
            f.writelines(f'{r[u]},{r[i]},5.0,{int(float(r[t]))}\n' for r in rows)
    elif layout == 'movielens-dat':
        with open(os.path.join(out, 'ratings.dat'), 'w', encoding='utf-8') as f:
            f.writelines(f'{r[u]}::{r[i]}::5::{int(float(r[t]))}\n' for r in rows)
    elif layout == 'recbole-yelp':
        name = inter[: -len('.inter')]
        with open(os.path.join(out, f'{name}.inter'), 'w', encoding='utf-8') as f:
            f.write('review_id:token\tuser_id:token\tbusiness_id:token\tstars:float\tdate:float\n')
            f.writelines(f'r{k}\t{r[u]}\t{r[i]}\t5\t{int(float(r[t]) * 1000)}\n' for k, r in enumerate(rows))
    else:
        sys.exit(f'unknown layout {layout}')


if __name__ == '__main__':
    main()
