import numpy as np


def sharpe_ratio(returns, rf=0.0, periods_per_year=252):
    r = np.asarray(returns, dtype=float)
    if r.size < 2:
        raise ValueError("il faut au moins deux rendements")
    excess = r - rf / periods_per_year
    sd = excess.std(ddof=1)
    if sd == 0:
        raise ValueError("écart-type nul : Sharpe indéfini")
    return float(np.sqrt(periods_per_year) * excess.mean() / sd)
