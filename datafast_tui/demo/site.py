"""The invented website the demo reports on: identity, hostnames, pages, goals and plans.

Everything here is static data plus the small navigation model the traffic generator
walks. No value contains a comma (the API's filter syntax separates values with commas).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SiteInfo:
    """What `GET analytics/metadata` reports."""

    domain: str
    name: str
    timezone: str
    kpi: str
    kpi_color_scheme: str
    currency: str
    currency_symbol: str
    logo: str | None


SITE = SiteInfo(
    domain="quillstack.dev",
    name="Quillstack",
    timezone="America/New_York",
    kpi="signup",
    kpi_color_scheme="orange",
    currency="USD",
    currency_symbol="$",
    logo=None,
)

HOSTNAMES: tuple[str, ...] = (
    "quillstack.dev",
    "app.quillstack.dev",
    "docs.quillstack.dev",
    "www.quillstack.dev",
)


@dataclass(frozen=True, slots=True)
class Page:
    """One page: `page_id` is its index in PAGES and its key in the store."""

    page_id: int
    host_id: int
    path: str
    section: str

    @property
    def hostname(self) -> str:
        return HOSTNAMES[self.host_id]


_BLOG_POSTS = (
    "writing-docs-developers-read",
    "docs-as-code-guide",
    "markdown-vs-wysiwyg",
    "api-reference-best-practices",
    "how-we-grew-to-10k-users",
    "changelogs-people-read",
    "internal-wiki-that-works",
    "onboarding-engineers-faster",
    "self-hosting-vs-cloud",
    "launch-week-recap",
    "pricing-page-teardown",
    "remote-team-knowledge-base",
)
_DOC_GUIDES = (
    "markdown-import",
    "github-sync",
    "custom-domains",
    "sso-setup",
    "api-tokens",
    "search",
    "embedding",
)

_PAGE_SPECS: tuple[tuple[int, str, str], ...] = (
    (0, "/", "home"),
    (0, "/pricing", "pricing"),
    (0, "/features", "marketing"),
    (0, "/about", "marketing"),
    (0, "/changelog", "marketing"),
    (0, "/customers", "marketing"),
    (0, "/integrations", "marketing"),
    (0, "/templates", "marketing"),
    (0, "/roadmap", "marketing"),
    (0, "/compare/notion", "compare"),
    (0, "/compare/obsidian", "compare"),
    (0, "/compare/confluence", "compare"),
    (0, "/blog", "blog"),
    *((0, f"/blog/{slug}", "post") for slug in _BLOG_POSTS),
    (0, "/privacy", "legal"),
    (0, "/terms", "legal"),
    (1, "/signup", "signup"),
    (1, "/login", "login"),
    (1, "/onboarding", "onboarding"),
    (1, "/dashboard", "dashboard"),
    (1, "/settings/billing", "billing"),
    (1, "/checkout", "checkout"),
    (2, "/", "docs"),
    (2, "/getting-started", "docs"),
    (2, "/api", "docs"),
    (2, "/faq", "docs"),
    *((2, f"/guides/{slug}", "docs") for slug in _DOC_GUIDES),
    (3, "/", "home"),
)

PAGES: tuple[Page, ...] = tuple(Page(i, host, path, section) for i, (host, path, section) in enumerate(_PAGE_SPECS))


def pages_in(*sections: str) -> tuple[int, ...]:
    """Ids of the pages in any of `sections` (the www. duplicate of home excluded)."""
    return tuple(p.page_id for p in PAGES if p.section in sections and p.host_id != 3)


HOME = 0
PRICING = 1
WWW_HOME = len(PAGES) - 1
SIGNUP, LOGIN, ONBOARDING, DASHBOARD, BILLING, CHECKOUT = (
    next(p.page_id for p in PAGES if p.section == s)
    for s in ("signup", "login", "onboarding", "dashboard", "billing", "checkout")
)

# Where a visitor goes next, by the section of the page they are on: (section or page id, weight).
# A section name means "a random page of that section".
NEXT_PAGE: dict[str, tuple[tuple[str | int, float], ...]] = {
    "home": ((PRICING, 30), ("marketing", 18), ("post", 8), (SIGNUP, 16), ("docs", 10), ("compare", 5), ("blog", 5)),
    "pricing": ((SIGNUP, 35), (HOME, 15), ("marketing", 15), ("docs", 10), ("compare", 10), ("post", 5)),
    "marketing": ((PRICING, 28), (SIGNUP, 18), (HOME, 16), ("marketing", 14), ("docs", 10), ("post", 8)),
    "compare": ((PRICING, 40), (SIGNUP, 28), (HOME, 20), ("marketing", 12)),
    "blog": (("post", 70), (HOME, 15), (PRICING, 10), (SIGNUP, 5)),
    "post": (("post", 35), (HOME, 25), (PRICING, 14), ("blog", 10), (SIGNUP, 12), ("docs", 4)),
    "legal": ((HOME, 60), (PRICING, 40)),
    "docs": (("docs", 72), (HOME, 8), (SIGNUP, 8), (PRICING, 8), (DASHBOARD, 4)),
    "signup": ((ONBOARDING, 70), (HOME, 15), (PRICING, 15)),
    "login": ((DASHBOARD, 90), ("docs", 10)),
    "onboarding": ((DASHBOARD, 85), ("docs", 15)),
    "dashboard": ((DASHBOARD, 30), (BILLING, 12), ("docs", 30), (PRICING, 8), (CHECKOUT, 3), (HOME, 17)),
    "billing": ((CHECKOUT, 25), (DASHBOARD, 75)),
    "checkout": ((DASHBOARD, 70), (PRICING, 30)),
}


@dataclass(frozen=True, slots=True)
class GoalRule:
    """A custom goal, the pages that can trigger it and how likely a view triggers it."""

    name: str
    description: str
    sections: tuple[str, ...]
    probability: float
    server_share: float = 0.0  # share of completions sent from a backend through the API
    metadata: tuple[tuple[str, tuple[str, ...]], ...] = ()  # key and the values it takes


GOALS: tuple[GoalRule, ...] = (
    GoalRule("scroll_to_pricing", "Scrolled to the pricing section", ("home",), 0.22),
    GoalRule("cta_click_hero", "Clicked the hero call to action", ("home",), 0.12),
    GoalRule("faq_what_do_i_get", "Opened FAQ: What do I get?", ("home", "pricing"), 0.07),
    GoalRule("faq_who_is_this_for", "Opened FAQ: Who is this for?", ("home",), 0.05),
    GoalRule("faq_tech_stack", "Opened FAQ: What is the tech stack?", ("home", "compare"), 0.04),
    GoalRule("faq_refund_policy", "Opened FAQ: What is the refund policy?", ("home", "pricing"), 0.035),
    GoalRule("demo_video_played", "Played the product demo video", ("home", "marketing"), 0.05),
    GoalRule("pricing_toggle_yearly", "Switched the pricing table to yearly", ("pricing",), 0.15),
    GoalRule(
        "newsletter_signup",
        "Signed up for the newsletter",
        ("post", "blog"),
        0.035,
        metadata=(("placement", ("inline", "footer", "exit_popup")),),
    ),
    GoalRule(
        "signup",
        "Created an account",
        ("signup",),
        0.55,
        server_share=0.5,
        metadata=(("method", ("google", "github", "email")), ("plan", ("free", "trial"))),
    ),
    GoalRule("onboarding_completed", "Finished onboarding", ("onboarding",), 0.5, server_share=1.0),
    GoalRule("invite_teammate", "Invited a teammate", ("dashboard",), 0.05, server_share=1.0),
    GoalRule("copy_code_snippet", "Copied a code snippet from the docs", ("docs",), 0.12),
    GoalRule(
        "docs_search",
        "Searched the docs",
        ("docs",),
        0.08,
        metadata=(("query", ("sso", "api token", "markdown", "webhooks", "custom domain", "export", "github")),),
    ),
    GoalRule(
        "checkout_started",
        "Opened the checkout",
        ("pricing", "billing"),
        0.09,
        metadata=(("plan", ("pro_monthly", "team_monthly", "pro_yearly", "lifetime")),),
    ),
)

GOAL_DESCRIPTIONS: dict[str, str] = {g.name: g.description for g in GOALS}
GOALS_BY_SECTION: dict[str, tuple[GoalRule, ...]] = {}
for _goal in GOALS:
    for _section in _goal.sections:
        GOALS_BY_SECTION[_section] = (*GOALS_BY_SECTION.get(_section, ()), _goal)


@dataclass(frozen=True, slots=True)
class Plan:
    """What a customer buys: `renews_every_days` None for one-off purchases."""

    key: str
    amount: float
    weight: float
    renews_every_days: int | None


PLANS: tuple[Plan, ...] = (
    Plan("pro_monthly", 19.0, 30, 30),
    Plan("team_monthly", 49.0, 15, 30),
    Plan("pro_yearly", 190.0, 20, None),
    Plan("lifetime", 299.0, 35, None),
)
