def mean(xs):
    raise NotImplementedError("à compléter")


def median(xs):
    raise NotImplementedError("à compléter")


def mode(xs):
    raise NotImplementedError("à compléter")


def variance(xs, ddof=0):
    raise NotImplementedError("à compléter")


def std(xs, ddof=0):
    raise NotImplementedError("à compléter")
