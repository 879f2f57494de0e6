import sys, pandas as pd
for f in sys.argv[1:]:
  d=pd.read_csv(f); d['up']=d.pit_lo>=0.975
  bad=d[d.left>d.allowed]
  print(f, 'looks', len(d), 'truth above 97.5%:', d.up.mean().round(3), 'runs any:', d.groupby('run').up.any().sum(),
        '| false-OK looks', (bad.p_ok>=0.95).mean().round(4), 'runs with a false OK (=80% misses):', bad[bad.p_ok>=0.95].run.nunique())
