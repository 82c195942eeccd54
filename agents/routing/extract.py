"""Argument extraction from French and English requests: tickers, windows, levels, dates, ids..."""

from __future__ import annotations

import re
from typing import Any

from knowledge.textio import fold as fold  # re-exported: agents.routing.extract.fold is the one fold of the product

# phrases a learner types -> the ticker our data layer serves
_TICKER_NAMES: list[tuple[str, str]] = [
    (r"s\s*&\s*p\s*500|s\s*&\s*p|sp\s?500|\^?gspc|\bspx\b|\bspy\b|standard (?:and|&) poor", "SPY"),
    (r"nasdaq|\^?ixic|\bqqq\b|\bndx\b", "QQQ"),
    (r"google|alphabet|\bgoogl?\b", "GOOG"),
    (r"petrole|brut|crude|\boil\b|\bwti\b|cl=f", "WTI"),
    (r"\bvix\b", "VIX"),
    (r"\bapple\b", "AAPL"), (r"\bmicrosoft\b", "MSFT"), (r"\btesla\b", "TSLA"), (r"\bamazon\b", "AMZN"),
    (r"\bnvidia\b", "NVDA"), (r"\bmeta platforms\b|\bfacebook\b", "META"), (r"\bnetflix\b", "NFLX"),
    (r"\bberkshire\b", "BRK-B"), (r"\bjp ?morgan\b", "JPM"), (r"\bexxon\b", "XOM"), (r"\bintel\b", "INTC"),
    (r"\bcoca[- ]cola\b", "KO"), (r"\bdow jones\b", "^DJI"), (r"\bcac(?: ?40)?\b", "CAC40"), (r"\bdax\b", "^GDAXI"),
    (r"\bbitcoin\b|\bbtc(?:-usd)?\b", "BTC-USD"),
    (r"\b(nvda|msft|aapl|tsla|amzn|googl?|meta|nflx|jpm|xom|intc|spy|qqq|iwm|tlt|gld|ko|dia|amd|ibm)\b", "=upper"),
    (r"\bor\b(?= (?:physique|spot))|\bgold\b", "GC=F"),
]
_NOT_TICKERS = {
    "VAR", "ES", "CVAR", "GARCH", "GJR", "EGARCH", "SMA", "EMA", "RSI", "MLP", "CNN", "RNN", "LSTM", "GRU", "GPT",
    "VAE", "AIC", "BIC", "EWMA", "FHS", "OK", "I", "A", "LA", "LE", "DE", "ET", "UN", "MA", "MON", "MY", "THE",
    "AND", "PDF", "CSV", "USD", "EUR", "ETF", "ML", "DL", "LLM", "NLP", "RAG", "API", "JSON", "CAGR", "MSE", "IRIS",
    "BPS", "PNL", "MC", "HS", "NB", "QQ", "TF", "AI", "IA", "SGD", "ADAM", "PCA", "SVD", "SVM", "KNN", "BUY", "HOLD",
}


def _first_match(low: str, rules: list[tuple[str, str]]) -> str | None:
    """The value of the first (pattern, value) rule whose pattern occurs in the folded text (``=upper``: the match
    itself, upper-cased: a ticker typed in lower case)."""
    for pattern, value in rules:
        m = re.search(pattern, low)
        if m:
            return m.group(0).upper() if value == "=upper" else value
    return None


def ticker(text: str) -> str | None:
    """The ticker named in ``text`` (a name we know, or an explicit upper-case symbol), else None."""
    found = _first_match(fold(text), _TICKER_NAMES)
    if found:
        return found
    for m in re.finditer(r"(?<![\w^])\^?[A-Z]{2,5}(?:[.=][A-Z]{1,2})?(?!\w)", text):
        sym = m.group(0)
        if sym.lstrip("^") not in _NOT_TICKERS:
            return sym
    return None


def level(text: str) -> float | None:
    """Confidence level: "99 %" -> 0.99; "au seuil de 1 %" / "1% VaR" -> 0.99; "0.975" -> 0.975."""
    low = fold(text).replace(",", ".")
    m = re.search(r"(?<![\d.])(\d{1,3}(?:\.\d+)?)\s*(?:%|pour ?cent|percent|pct)", low)
    if m:
        x = float(m.group(1))
        return round(1 - x / 100, 6) if x < 50 else round(x / 100, 6)  # 150 % stays 1.5: the tool refuses it
    m = re.search(r"\b0\.(9\d*|8\d*)\b", low)
    if m:
        return float("0." + m.group(1))
    m = re.search(r"(?:niveau|level|confiance|confidence|seuil)\s*(?:de|of|a|at)?\s*(\d{2}(?:\.\d+)?)\b", low)
    if m:
        return round(float(m.group(1)) / 100, 6)
    return None


def bare_level(text: str) -> float | None:
    """A confidence level written without '%' in a VaR request ("var spy 99 historical")."""
    low = fold(text).replace(",", ".")
    for m in re.finditer(r"(?<![\d.])(90|95|97\.5|99|99\.5|99\.9)(?![\d.%])(?!\s*(?:jours?|days?|j\b|d\b))", low):
        return round(float(m.group(1)) / 100, 6)
    return None


_VAR_METHODS: list[tuple[str, str]] = [
    (r"filtered|filtree|\bfhs\b", "fhs"),
    (r"garch", "garch"),
    (r"cornish|fisher", "cornish-fisher"),
    (r"simulation histori|historical simulation", "historical"),
    (r"monte[- ]?carlo|simulation", "monte-carlo"),
    (r"student|\bt[- ]dist|loi t\b|\bde student", "student-t"),
    (r"histori|\bhist\b|\bhs\b|empiri", "historical"),
    (r"parametrique|parametric|normale?\b|gaussien|gaussian|variance[- ]covariance", "normal"),
]


def var_method(text: str) -> str | None:
    return _first_match(fold(text), _VAR_METHODS)


_WORD_NUMBERS = {"un": 1, "une": 1, "one": 1, "deux": 2, "two": 2, "trois": 3, "three": 3, "cinq": 5, "five": 5,
                 "dix": 10, "ten": 10, "vingt": 20, "twenty": 20}


def horizon_days(text: str) -> int | None:
    low = fold(text)
    m = re.search(r"(\d{1,3}|un|une|one|deux|two|trois|three|cinq|five|dix|ten|vingt|twenty)\s*(?:-\s*)?"
                  r"(?:jours?|days?|j\b|d\b|sessions?|seances?)", low)
    if m:
        word = m.group(1)
        return int(word) if word.isdigit() else _WORD_NUMBERS[word]
    if re.search(r"\b(?:in|en|sur|over)\s+(?:a|un|one|1)\s+(?:day|jour|journee|seance|session)\b|\bdaily\b", low):
        return 1
    if re.search(r"\b(?:une|1|one)\s+semaine\b|\b(?:one|1)[- ]week\b|\bweekly\b|hebdo", low):
        return 5
    if re.search(r"\b(?:un|1|one)\s+mois\b|\b(?:one|1)[- ]month\b|\bmonthly\b|mensuel", low):
        return 21
    return None


def garch_model(text: str) -> str | None:
    low = fold(text)
    if re.search(r"\bgjr|threshold garch|\btgarch|effet de levier|leverage effect|asymmetric (?:garch|volatility|"
                 r"response)|garch asymetrique|volatilite asymetrique", low):
        return "gjr"
    if "egarch" in low or "exponential garch" in low:
        return "egarch"
    if "garch" in low:
        return "garch"
    return None


def garch_dist(text: str) -> str | None:
    low = fold(text)
    if re.search(r"skew|asymetrique", low):
        return "skewt"
    if re.search(r"student|\bt[- ]dist|\bloi t\b|queues? epaisses|fat[- ]tail|\bt errors|erreurs t\b", low):
        return "t"
    if re.search(r"normale?\b|gaussi", low):
        return "normal"
    return None


_MONTHS = {m: i for i, m in enumerate(
    "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre".split(), 1)}
_MONTHS.update({m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)})


def _written_dates(low: str) -> list[str]:
    """ISO dates from "1er janvier 2018", "31 décembre 2022", "January 4, 2010"."""
    names = "|".join(_MONTHS)
    found: list[tuple[int, str]] = []
    for m in re.finditer(rf"\b(\d{{1,2}})(?:er|st|nd|rd|th)?\s+({names})\s+((?:19|20)\d\d)\b", low):
        found.append((m.start(), f"{m.group(3)}-{_MONTHS[m.group(2)]:02d}-{int(m.group(1)):02d}"))
    for m in re.finditer(rf"\b({names})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b", low):
        found.append((m.start(), f"{m.group(3)}-{_MONTHS[m.group(1)]:02d}-{int(m.group(2)):02d}"))
    for m in re.finditer(r"\b((?:19|20)\d\d-\d\d-\d\d)\b", low):
        found.append((m.start(), m.group(1)))
    return [d for _, d in sorted(found)]


def date_range(text: str) -> tuple[str | None, str | None]:
    """Start and end dates from "depuis 2010", "de 2005 à 2015", "between 2008 and 2012", ISO or written dates."""
    low = fold(text)
    dates = _written_dates(low)
    if len(dates) >= 2:
        return dates[0], dates[1]
    if dates:
        before = low[: low.find(dates[0][:4])] if dates[0][:4] in low else low
        if re.search(r"(?:jusqu|until|before|avant|through|to)\W*\w*\W*$", before[-30:]):
            return None, dates[0]
        return dates[0], None
    m = re.search(r"\b(?:de|from|between|entre)\s+((?:19|20)\d\d)\s+(?:a|to|and|et|-)\s+((?:19|20)\d\d)\b", low) or \
        re.search(r"\b((?:19|20)\d\d)\s*(?:-|–|a|to)\s*((?:19|20)\d\d)\b", low)
    if m:
        return f"{m.group(1)}-01-01", f"{m.group(2)}-12-31"
    m = re.search(r"\b(?:depuis|since|from|a partir de|apres|after|starting)\s+((?:19|20)\d\d)\b", low)
    if m:
        return f"{m.group(1)}-01-01", None
    m = re.search(r"\b(?:jusqu'?(?:en|a)|until|before|avant|to|through)\s+((?:19|20)\d\d)\b", low)
    if m:
        return None, f"{m.group(1)}-12-31"
    return None, None


_STRATEGIES: list[tuple[str, str]] = [
    (r"bollinger", "bollinger"),
    (r"\brsi\b|relative strength", "rsi"),
    (r"retour a la moyenne|mean[- ]revers|z[- ]?score|reversion", "mean-reversion"),
    (r"momentum|tendance|trend[- ]follow|time[- ]series momentum", "momentum"),
    (r"croisement|crossover|cross|moyennes? mobiles?|moving averages?|\bsma\b|\bma\s*\d", "sma-cross"),
    (r"buy[- ]?(?:and|&|n)[- ]?hold|achat[- ]conservation|acheter et conserver|buy-hold|passive", "buy-hold"),
]


def strategy(text: str) -> str | None:
    return _first_match(fold(text), _STRATEGIES)


def _num(s: str) -> float:
    return float(s.replace(",", "."))


def strategy_params(text: str, name: str) -> dict[str, Any]:
    low = fold(text)
    params: dict[str, Any] = {}
    if name == "sma-cross":
        m = re.search(r"\b(\d{1,3})\s*(?:/|-|et|and|&|vs|x|,|sur|\s)\s*(\d{1,3})\b(?!\s*%)", low)
        fast = re.search(r"(?:fast|rapide|courte?)\D{0,12}(\d{1,3})", low)
        slow = re.search(r"(?:slow|lente?|longue?)\D{0,12}(\d{1,3})", low)
        if fast and slow:
            params = {"fast": int(fast.group(1)), "slow": int(slow.group(1))}
        elif m and m.group(1) != m.group(2):
            a, b = sorted((int(m.group(1)), int(m.group(2))))
            params = {"fast": a, "slow": b}
    elif name == "momentum":
        m = re.search(r"(\d{1,3})[\s-]*(mois|months?|jours?|days?|semaines?|weeks?)", low)
        if m:
            n, unit = int(m.group(1)), m.group(2)
            per = 21 if unit.startswith(("mois", "month")) else 5 if unit.startswith(("sem", "week")) else 1
            params["lookback"] = n * per
    elif name in ("mean-reversion", "bollinger", "rsi"):
        m = re.search(r"(\d{1,3})[\s-]*(?:jours?|days?|periodes?|periods?|d\b|j\b|window|fenetre)", low) or \
            re.search(r"(?:fenetre|window|periode|period|sur|over)\D{0,6}(\d{1,3})", low)
        if m:
            params["window"] = int(m.group(1))
        if name == "bollinger":
            k = re.search(r"(\d(?:[.,]\d+)?)\s*(?:ecarts?[- ]types?|sigma|std|standard dev)", low)
            if k:
                params["n_std"] = _num(k.group(1))
        if name == "rsi":
            lu = re.search(r"\b(\d{2})\s*(?:/|-|et|and)\s*(\d{2})\b", low)
            if lu and int(lu.group(1)) < int(lu.group(2)) and int(lu.group(2)) < 100:
                params["lower"], params["upper"] = float(lu.group(1)), float(lu.group(2))
            below = re.search(r"(?:below|under|sous|en dessous de|inferieur a)\s*(\d{1,2})\b", low)
            above = re.search(r"(?:above|over|au[- ]dessus de|superieur a|depasse)\s*(\d{1,2})\b", low)
            if below and above and int(below.group(1)) < int(above.group(1)):
                params["lower"], params["upper"] = float(below.group(1)), float(above.group(1))
    if name == "rsi":
        m = re.search(r"\brsi\s*\(?(\d{1,3})\b", low)
        if m and "window" not in params:
            params["window"] = int(m.group(1))
    keys = {"sma-cross": ("fast", "slow"), "momentum": ("lookback",), "mean-reversion": ("window", "entry", "exit"),
            "bollinger": ("window", "n_std"), "rsi": ("window", "lower", "upper")}.get(name, ())
    synonyms = {"enter": "entry", "entree": "entry", "sortie": "exit", "fenetre": "window", "rapide": "fast",
                "lente": "slow", "lent": "slow"}
    pairs = re.findall(r"\b(fast|slow|lookback|window|entry|enter|exit|n_std|lower|upper|entree|sortie|fenetre)"
                       r"\s*(?:[=:]|at|a|de|of|)\s*(\d+(?:\.\d+)?)\b", low)
    for raw_key, value in pairs:
        key = synonyms.get(raw_key, raw_key)
        if key in keys:
            params[key] = int(value) if value.isdigit() and key in ("fast", "slow", "lookback", "window") \
                else _num(value)
    if re.search(r"\bshort|vente a decouvert|a decouvert", low) and name != "buy-hold":
        params["allow_short"] = True
    return params


def cost_bps(text: str) -> float | None:
    """Costs in basis points: "5 bps", "10 points de base", "0.1 % de frais" (10), "sans frais" (0)."""
    low = fold(text).replace(",", ".")
    m = re.search(r"(\d+(?:\.\d+)?)\s*(?:bps|bp\b|points? de base|basis points?|pb\b)", low)
    if m:
        return float(m.group(1))
    cost_words = r"(?:frais|couts?|costs?|transaction|commissions?|fees?)"
    m = re.search(rf"(\d+(?:\.\d+)?)\s*%\s*(?:de |of |in )?{cost_words}", low) or re.search(
        rf"{cost_words}\s*(?:de|of|:|=)?\s*(\d+(?:\.\d+)?)\s*%", low
    )
    if m:
        return round(float(m.group(1)) * 100, 6)
    if re.search(r"sans (?:frais|couts?)|no (?:transaction )?(?:costs?|fees?)|without fees|zero fees?|"
                 r"without (?:transaction )?costs?|zero costs?|"
                 r"frictionless|free of costs?|sans commission", low):
        return 0.0
    return None


def timeout_s(text: str) -> float | None:
    m = re.search(r"(\d+(?:\.\d+)?)\s*(?:-\s*)?(?:s\b|sec\b|secondes?|seconds?)", fold(text))
    return float(m.group(1)) if m and re.search(r"timeout|limite|limit|delai|maximum|max", fold(text)) else None


def hours_per_week(text: str) -> float | None:
    low = fold(text).replace(",", ".")
    m = re.search(
        r"(\d+(?:\.\d+)?)\s*(?:h|heures?|hours?|hrs?)\s*(?:/|par|per|a la|each|every|chaque|an?)\s*(?:semaine|week|wk)",
        low)
    if m:
        return float(m.group(1))
    m = re.search(r"(\d+(?:\.\d+)?)\s*(?:h|heures?|hours?|hrs?)\s*(?:hebdo\w*|weekly|a week|per wk|/\s*sem\w*|"
                  r"la semaine|par sem\w*|in a week)", low)
    if m:
        return float(m.group(1))
    m = re.search(r"(\d+(?:\.\d+)?)\s*(?:h|heures?|hours?)\s*(?:/|par|per|a)\s*(?:jour|day)", low)
    if m:
        days = re.search(r"(\d)\s*(?:jours?|days?)\s*(?:/|par|per|a)\s*(?:semaine|week)", low)
        return float(m.group(1)) * (int(days.group(1)) if days else 7)
    return None


def weeks(text: str) -> int | None:
    low = fold(text)
    adj = r"(?:(?:prochaines?|prochains?|next|dernieres?|derniers?|coming|following)\s+)?"
    m = re.search(rf"(\d{{1,3}})\s*{adj}(?:semaines?|weeks?|sem\b|wks?)\b", low)
    if m:
        return int(m.group(1))
    m = re.search(rf"(\d{{1,2}})\s*{adj}(?:mois|months?)\b", low)
    if m:
        return round(int(m.group(1)) * 52 / 12)
    m = re.search(r"(\d)\s*(?:ans?|years?)\b", low)
    if m:
        return int(m.group(1)) * 52
    return None


def item_id(text: str) -> str | None:
    m = re.search(r"chap\w*\s*(\d{1,2})\W{0,3}(?:item|element|point|case)\s*(\d{1,2})\b", fold(text))
    if m:
        return f"{int(m.group(1)):02d}.{int(m.group(2))}"
    m = re.search(r"(?<![\d.])(\d{1,2})\.(\d{1,2})(?![\d.])", text)
    if m:
        return f"{int(m.group(1)):02d}.{int(m.group(2))}"
    m = re.search(r"\b(P\d\.V\d{1,2}|C\d\.\d{1,2})\b", text, re.I)
    return m.group(1).upper() if m else None


def epochs(text: str) -> int | None:
    m = re.search(r"(\d{1,3})\s*(?:epoques?|epochs?|iterations?|passes?)", fold(text))
    return int(m.group(1)) if m else None


_MODEL_NAMES: list[tuple[str, str]] = [
    (r"seq2seq|sequence[- ]to[- ]sequence|encodeur[- ]decodeur|encoder[- ]decoder|bahdanau|luong", "seq2seq"),
    (r"mini[- ]?gpt|\bgpt\b|transformer", "gpt"),
    (r"word2vec|skip[- ]gram|\bcbow\b|plongements?", "word2vec"),
    (r"\bvae\b|variational|variationnel", "vae"),
    (r"auto[- ]?encod", "autoencoder"),
    (r"\blstm\b", "lstm"),
    (r"\bgru\b", "gru"),
    (r"\brnn\b|recurrent|recurrent", "rnn"),
    (r"\bcnn\b|convolution|lenet", "cnn"),
    (r"\bmlp\b|perceptron|reseau de neurones|neural net", "mlp"),
    (r"logisti|softmax", "logistic"),
    (r"lineaire|linear", "linear"),
]


def model_name(text: str) -> str | None:
    return _first_match(fold(text), _MODEL_NAMES)


def dataset(text: str) -> str | None:
    low = fold(text)
    if "iris" in low:
        return "iris"
    if re.search(r"digit|chiffres|mnist", low):
        return "digits"
    if re.search(r"\brevers|invers|renvers", low):
        return "reverse"
    if re.search(r"\bcours\b|course|texte|text", low):
        return "text"
    return None


def code_block(text: str) -> tuple[str, str | None]:
    """Split a message into (text without code, code) — a fenced block, or an indented/obvious code tail."""
    m = re.search(r"```(?:python|py)?\s*\n(.*?)(?:```|\Z)", text, re.S)
    if m:
        return (text[: m.start()] + text[m.end():]).strip(), m.group(1).strip("\n")
    m = re.search(r"`([^`\n]*[()=;][^`\n]*)`", text)
    if m:
        return (text[: m.start()] + text[m.end():]).strip(), m.group(1).strip()
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if re.match(r"\s*(def |import |from \w+ import |class |print\(|for \w+ in )", line):
            code = "\n".join(lines[i:])
            return "\n".join(lines[:i]).strip(), code
    m = re.search(r"(?::|;)\s*((?:print|import|def|for|x\s*=)\b.*)$", text, re.S)
    if m:
        return text[: m.start()].strip(), m.group(1).strip()
    return text, None
