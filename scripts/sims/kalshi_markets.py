"""Market and order book state for the Kalshi simulator: daily-high temperature markets and order matching.

Python standard library only.
"""

import datetime
import math
import random

MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]


def iso(moment):
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def normal_cdf(x):
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def event_ticker(series, date):
    return "%s-%02d%s%02d" % (series, date.year % 100, MONTHS[date.month - 1], date.day)


def make_markets(series, date, center, sigma, spread, seed):
    """One event's markets: `<` the low edge, 2-degree `between` bins, `>` the high edge, priced from a normal
    distribution of the (whole-degree) high around `center`."""
    event = event_ticker(series, date)
    low = int(math.floor(center)) - 5
    high = low + 10
    rng = random.Random("%d|%s" % (seed, event))
    open_time = datetime.datetime.combine(date - datetime.timedelta(days=1), datetime.time(14),
                                          tzinfo=datetime.timezone.utc)
    close_time = datetime.datetime.combine(date + datetime.timedelta(days=1), datetime.time(4, 59),
                                           tzinfo=datetime.timezone.utc)
    specs = [("T%d" % low, "less", None, low, normal_cdf((low - 0.5 - center) / sigma),
              "%d° or below" % (low - 1))]
    for floor in range(low, high - 1, 2):
        p = normal_cdf((floor + 1.5 - center) / sigma) - normal_cdf((floor - 0.5 - center) / sigma)
        specs.append(("B%s" % (floor + 0.5), "between", floor, floor + 1, p, "%d° to %d°" % (floor, floor + 1)))
    specs.append(("T%d" % (high - 1), "greater", high - 1, None, 1 - normal_cdf((high - 0.5 - center) / sigma),
                  "%d° or above" % high))
    markets = []
    for suffix, strike_type, floor, cap, probability, subtitle in specs:
        fair = min(99, max(1, int(round(probability * 100))))
        half = max(1, spread // 2)
        yes_bid = max(1, fair - half)
        yes_ask = min(99, max(yes_bid + 1, fair + half))
        market = {
            "ticker": "%s-%s" % (event, suffix),
            "event_ticker": event,
            "market_type": "binary",
            "title": "Highest temperature on %s?" % date.isoformat(),
            "subtitle": subtitle,
            "yes_sub_title": subtitle,
            "no_sub_title": subtitle,
            "open_time": iso(open_time),
            "close_time": iso(close_time),
            "expected_expiration_time": iso(close_time + datetime.timedelta(hours=10)),
            "expiration_time": iso(close_time + datetime.timedelta(days=7)),
            "latest_expiration_time": iso(close_time + datetime.timedelta(days=7)),
            "status": "active",
            "response_price_units": "usd_cent",
            "notional_value": 100,
            "tick_size": 1,
            "yes_bid": yes_bid,
            "yes_ask": yes_ask,
            "no_bid": 100 - yes_ask,
            "no_ask": 100 - yes_bid,
            "last_price": fair,
            "previous_yes_bid": yes_bid,
            "previous_yes_ask": yes_ask,
            "previous_price": fair,
            "volume": rng.randint(100, 5000),
            "volume_24h": rng.randint(10, 1000),
            "liquidity": rng.randint(1000, 100000),
            "open_interest": rng.randint(50, 3000),
            "result": "",
            "can_close_early": False,
            "strike_type": strike_type,
            "category": "Climate and Weather",
            "risk_limit_cents": 0,
            "rules_primary": "If the highest temperature recorded for %s is %s, the market resolves to Yes."
                             % (date.isoformat(), subtitle),
        }
        if floor is not None:
            market["floor_strike"] = floor
        if cap is not None:
            market["cap_strike"] = cap
        markets.append(market)
    return markets


def set_quotes(market, yes_bid=None, yes_ask=None):
    """Moves a market's yes quotes and keeps the no side consistent."""
    if yes_bid is not None:
        market["yes_bid"] = int(yes_bid)
    if yes_ask is not None:
        market["yes_ask"] = int(yes_ask)
    market["no_bid"] = 100 - market["yes_ask"]
    market["no_ask"] = 100 - market["yes_bid"]


def execution_price(market, side, action, limit):
    """The price (cents, on the order's side) a marketable order executes at, or None when it is not marketable."""
    if market.get("status") != "active":
        return None
    if action == "buy":
        ask = market["yes_ask"] if side == "yes" else market["no_ask"]
        return ask if 0 < ask <= limit and ask < 100 else None
    bid = market["yes_bid"] if side == "yes" else market["no_bid"]
    return bid if 0 < bid and bid >= limit else None
