"""Who visits the demo site: traffic sources, campaigns, devices and customer names.

Static tables the traffic generator draws from. Weights are relative within a table.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Referrer:
    """A traffic source: `name` is what the referrers breakdown shows, `domain` the raw host."""

    name: str
    domain: str
    kind: str  # direct | search | social | referral | email
    weight: float


_BIG_REFERRERS = (
    Referrer("Direct/None", "", "direct", 30),
    Referrer("Google", "google.com", "search", 24),
    Referrer("X", "x.com", "social", 8),
    Referrer("Hacker News", "news.ycombinator.com", "social", 3),
    Referrer("Reddit", "reddit.com", "social", 3),
    Referrer("GitHub", "github.com", "referral", 2.5),
    Referrer("LinkedIn", "linkedin.com", "social", 2.5),
    Referrer("Bing", "bing.com", "search", 2),
    Referrer("ChatGPT", "chatgpt.com", "search", 2),
    Referrer("DuckDuckGo", "duckduckgo.com", "search", 1.5),
    Referrer("YouTube", "youtube.com", "social", 1.5),
    Referrer("Product Hunt", "producthunt.com", "social", 1.2),
    Referrer("Facebook", "facebook.com", "social", 0.8),
    Referrer("Perplexity", "perplexity.ai", "search", 0.6),
    Referrer("Bluesky", "bsky.app", "social", 0.6),
    Referrer("Brave", "search.brave.com", "search", 0.4),
    Referrer("Ecosia", "ecosia.org", "search", 0.2),
)

# Smaller sites that link to the product, shown by their domain; weights fall off with rank.
_SMALL_DOMAINS = (
    "dev.to", "medium.com", "indiehackers.com", "lobste.rs", "stackoverflow.com", "substack.com",
    "alternativeto.net", "g2.com", "betalist.com", "app.daily.dev", "tldr.tech", "hashnode.com",
    "writethedocs.org", "saashub.com", "capterra.com", "notion.so", "discord.com", "mastodon.social",
    "news.google.com", "sarahcodes.dev", "theindiestack.io", "buildinpublic.fm", "docsweekly.com",
    "devtoolsdigest.com", "kevinmakes.co", "nomadcoder.blog", "saasplaybook.io", "remoteteams.org",
    "shipsmall.club", "techleadjournal.dev", "makerlog.io", "tinyteams.xyz", "frontendfocus.com",
    "thestackreport.com", "bootstrapped.fm", "smashingmagazine.com", "css-tricks.com", "bytebytego.com",
    "slack.com", "threads.net", "t.me", "quora.com", "producthunt.news", "uneed.best", "peerlist.io",
)

REFERRERS: tuple[Referrer, ...] = _BIG_REFERRERS + tuple(
    Referrer(domain, domain, "referral", 1.6 / (rank + 1) ** 0.7) for rank, domain in enumerate(_SMALL_DOMAINS)
)
REFERRER_BY_NAME: dict[str, Referrer] = {r.name: r for r in REFERRERS}
DIRECT = REFERRERS[0]

CAMPAIGN_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "ref", "source", "via")


@dataclass(frozen=True, slots=True)
class Campaign:
    """Campaign parameters a landing URL carries, and the referrer such visits arrive with."""

    params: dict[str, str]
    referrer: str  # a Referrer name
    weight: float
    entry: str  # the section (or "pricing") its links point to


CAMPAIGNS: tuple[Campaign, ...] = (
    Campaign({"utm_source": "newsletter", "utm_medium": "email", "utm_campaign": "weekly-digest"}, "Direct/None", 10, "post"),
    Campaign({"utm_source": "newsletter", "utm_medium": "email", "utm_campaign": "launch-week", "utm_content": "hero-button"}, "Direct/None", 5, "marketing"),
    Campaign({"utm_source": "google", "utm_medium": "cpc", "utm_campaign": "docs-tool", "utm_term": "documentation software", "utm_content": "ad-a"}, "Google", 8, "home"),
    Campaign({"utm_source": "google", "utm_medium": "cpc", "utm_campaign": "docs-tool", "utm_term": "team wiki", "utm_content": "ad-b"}, "Google", 5, "home"),
    Campaign({"utm_source": "google", "utm_medium": "cpc", "utm_campaign": "competitor", "utm_term": "confluence alternative"}, "Google", 4, "compare"),
    Campaign({"utm_source": "bing", "utm_medium": "cpc", "utm_campaign": "docs-tool", "utm_term": "knowledge base software"}, "Bing", 1.5, "home"),
    Campaign({"utm_source": "x", "utm_medium": "social", "utm_campaign": "launch-week", "utm_content": "thread"}, "X", 5, "home"),
    Campaign({"utm_source": "linkedin", "utm_medium": "social", "utm_campaign": "founder-post"}, "LinkedIn", 3, "post"),
    Campaign({"utm_source": "youtube", "utm_medium": "video", "utm_campaign": "demo-walkthrough", "utm_content": "description"}, "YouTube", 2, "home"),
    Campaign({"utm_source": "reddit", "utm_medium": "cpc", "utm_campaign": "spring-promo"}, "Reddit", 2, "pricing"),
    Campaign({"utm_source": "tldr", "utm_medium": "newsletter", "utm_campaign": "sponsorship", "utm_content": "primary"}, "tldr.tech", 3, "home"),
    Campaign({"utm_source": "partner", "utm_medium": "affiliate", "utm_campaign": "partner-program"}, "Direct/None", 1.5, "pricing"),
    Campaign({"ref": "producthunt"}, "Product Hunt", 4, "home"),
    Campaign({"ref": "indiepage"}, "indiehackers.com", 2, "home"),
    Campaign({"ref": "alternativeto"}, "alternativeto.net", 1.5, "compare"),
    Campaign({"ref": "betalist"}, "betalist.com", 1, "home"),
    Campaign({"ref": "github-readme"}, "GitHub", 2.5, "docs"),
    Campaign({"via": "marc"}, "X", 1.5, "pricing"),
    Campaign({"via": "sarah"}, "sarahcodes.dev", 1.2, "pricing"),
    Campaign({"via": "devtools_weekly"}, "devtoolsdigest.com", 0.8, "home"),
    Campaign({"source": "changelog-email"}, "Direct/None", 2, "marketing"),
    Campaign({"source": "docs-footer"}, "Direct/None", 1, "pricing"),
    Campaign({"source": "chrome-extension", "ref": "extension"}, "Direct/None", 0.8, "home"),
)

# Where visitors of each source kind land first: (section or page id, weight); see site.NEXT_PAGE.
ENTRY_BY_KIND: dict[str, tuple[tuple[str | int, float], ...]] = {
    "search": (("post", 45), ("docs", 25), (0, 18), ("compare", 8), (1, 4)),
    "social": ((0, 45), ("post", 38), ("marketing", 7), (1, 10)),
    "direct": ((0, 55), ("docs", 15), (1, 12), ("marketing", 8), ("post", 5), ("legal", 2), ("www", 3)),
    "referral": ((0, 40), ("post", 22), ("docs", 20), ("marketing", 13), (1, 5)),
}


@dataclass(frozen=True, slots=True)
class Platform:
    """A consistent device / OS / browser family, as a user-agent parser would report it."""

    device: str
    os: str
    os_versions: tuple[str, ...]
    browsers: tuple[tuple[str, float], ...]
    models: tuple[tuple[str | None, str | None], ...]  # (vendor, model)
    viewports: tuple[tuple[int, int], ...]
    weight: float


PLATFORMS: tuple[Platform, ...] = (
    Platform("desktop", "Mac OS", ("10.15.7",), (("Chrome", 55), ("Safari", 27), ("Firefox", 8), ("Edge", 3), ("Arc", 4), ("Brave", 3)),
             (("Apple", "Macintosh"),), ((1440, 900), (1728, 998), (1512, 982), (1920, 1080), (2560, 1440)), 26),
    Platform("desktop", "Windows", ("10", "11"), (("Chrome", 62), ("Edge", 24), ("Firefox", 10), ("Opera", 4)),
             ((None, None),), ((1920, 1080), (1536, 864), (1366, 768), (2560, 1440)), 22),
    Platform("desktop", "Linux", ("x86_64",), (("Chrome", 50), ("Firefox", 45), ("Chromium", 5)),
             ((None, None),), ((1920, 1080), (2560, 1440)), 4),
    Platform("desktop", "Chrome OS", ("14541.0.0",), (("Chrome", 100),), (("Google", "Chromebook"),), ((1366, 768),), 0.8),
    Platform("mobile", "iOS", ("18.3", "18.1", "17.6", "16.7"),
             (("Safari", 68), ("Chrome", 14), ("Instagram", 6), ("Twitter", 4), ("LinkedIn", 3), ("Facebook", 3), ("Firefox", 2)),
             (("Apple", "iPhone"),), ((390, 844), (393, 852), (430, 932), (375, 667)), 22),
    Platform("mobile", "Android", ("14", "15", "13", "12"),
             (("Chrome", 70), ("Samsung Internet", 14), ("Instagram", 5), ("Facebook", 4), ("Firefox", 3), ("Opera", 2), ("Twitter", 2)),
             (("Samsung", "SM-S918B"), ("Google", "Pixel 8"), ("Xiaomi", "Redmi Note 12"), ("OnePlus", "CPH2449"), ("Motorola", "moto g54")),
             ((412, 915), (360, 800), (393, 873)), 18),
    Platform("tablet", "iOS", ("18.3", "17.6"), (("Safari", 85), ("Chrome", 15)), (("Apple", "iPad"),), ((820, 1180), (1024, 1366)), 3),
    Platform("tablet", "Android", ("14", "13"), (("Chrome", 80), ("Samsung Internet", 20)), (("Samsung", "SM-X710"),), ((800, 1280),), 1.2),
)

BROWSER_VERSIONS: dict[str, tuple[str, ...]] = {
    "Chrome": ("133.0.0.0", "132.0.0.0", "131.0.0.0"),
    "Safari": ("18.3", "18.1", "17.6"),
    "Firefox": ("135.0", "134.0", "128.0"),
    "Edge": ("133.0.0.0", "132.0.0.0"),
    "Opera": ("116.0.0.0",),
    "Arc": ("1.79.0",),
    "Brave": ("1.75.175",),
    "Chromium": ("133.0.0.0",),
    "Samsung Internet": ("27.0", "26.0"),
    "Instagram": ("365.0.0",),
    "Twitter": ("10.80",),
    "LinkedIn": ("9.30.1",),
    "Facebook": ("497.0.0",),
}

FIRST_NAMES = (
    "Emma", "Liam", "Olivia", "Noah", "Ava", "Lucas", "Mia", "Ethan", "Sofia", "Mateo", "Hannah", "Jonas",
    "Chloe", "Arjun", "Priya", "Wei", "Yuki", "Kenji", "Fatima", "Omar", "Lea", "Felix", "Elena", "Marco",
    "Julia", "Tomasz", "Anna", "Lars", "Ingrid", "Diego", "Camila", "Rafael", "Aisha", "Kwame", "Nina",
    "Jakob", "Sara", "David", "Grace", "Leo", "Chen", "Mei", "Ravi", "Ana", "Pedro", "Zoe", "Max", "Ines",
)
LAST_NAMES = (
    "Smith", "Johnson", "Garcia", "Müller", "Martin", "Rossi", "Kowalski", "Nguyen", "Tanaka", "Kim",
    "Patel", "Singh", "Silva", "Santos", "Dubois", "Jansen", "Larsen", "Novak", "Brown", "Wilson",
    "Lopez", "Schmidt", "Fischer", "Moreau", "Costa", "Ivanova", "Cohen", "Okafor", "Mensah", "Chen",
    "Wang", "Sato", "Ahmed", "Hansen", "Berg", "Walker", "Clark", "Lee", "Murphy", "O'Brien",
)
EMAIL_DOMAINS = ("gmail.com", "outlook.com", "proton.me", "icloud.com", "fastmail.com", "hey.com", "company.io", "studio.dev")
