"""The website concierge's actions: list prices from the price book, and a qualification conversation (need,
timeline, budget, authority, then a work e-mail) that ends in a lead for the SDR agent.

`qualify` is stateful: each call takes the visitor's message as the answer to the question asked last (kept in
`ActionContext.state`) and returns the next question as its localized `message`, so one action conducts the
whole conversation on any engine.
"""

from __future__ import annotations

from typing import Annotated, Any

from cadre.agents.actions import ActionContext, ActionRegistry, Slot, build_action
from cadre.heroes._concierge_leads import HANDOFF_REASON, SDR_QUEUE, lead_summary, save_lead
from cadre.heroes._concierge_prices import catalogue, currency_named, edition_named, price_list, products_named
from cadre.heroes._concierge_regions import currency_for
from cadre.heroes._concierge_texts import TextKey, text
from cadre.heroes._concierge_visit import Visit

PURPOSE = "marketing"
_QUESTIONS: dict[str, TextKey] = {
    "need": "ask_need",
    "timeline": "ask_timeline",
    "budget": "ask_budget",
    "authority": "ask_authority",
    "email": "ask_email",
}


def quote_prices(context: ActionContext, question: Annotated[str, Slot("text")]) -> dict[str, Any]:
    """Price of a product: how much Relay, Pipeline, Pulse, Beacon or Vault costs per user per month, by
    edition, from the price book, in the visitor's currency."""
    data = context.service("data")
    visit = Visit.of(context.state)
    products = products_named(question, catalogue(data))
    currency = currency_named(question) or currency_for(context.language, visit.region)
    if products and visit.product_interest is None:
        visit.product_interest = products[0].product_id
        visit.keep(context.state)
    message = price_list(data, products, currency=currency, edition=edition_named(question), language=context.language)
    return {"message": message, "products": [p.name for p in products], "currency": currency}


def qualify(context: ActionContext, answer: Annotated[str, Slot("text")]) -> dict[str, Any]:
    """Talk to sales: the visitor wants a demo, a quote or to buy. Records their answers about need, timeline,
    budget and who decides, then their work e-mail, one question at a time; with an e-mail, creates or updates
    their lead and hands it to the SDR team. A visitor who gives no e-mail gets no lead."""
    data = context.service("data")
    visit = Visit.of(context.state)
    was_declined = visit.declined
    visit.record(answer, products=[p.product_id for p in products_named(answer, catalogue(data))])
    if visit.declined and not was_declined:
        visit.asked = None
        visit.keep(context.state)
        return {"message": text("email_declined", context.language), "next": None, "lead_id": None}
    if visit.declined:
        visit.declined, visit.email_asks = False, 0  # asked to talk to sales again: offer the e-mail question again
    step = visit.next_step()
    if step is None and visit.email is not None:
        if visit.handed_over:
            visit.keep(context.state)
            message = text("already_handed_over", context.language, email=visit.email)
            return {"message": message, "next": None, "lead_id": visit.lead_id}
        return _hand_over(context, data, visit)
    step = step or "email"
    visit.asked = step
    visit.keep(context.state)
    # `awaiting` names the argument the visitor's next message answers, for engines that keep a conversation
    # on the action that asked.
    message = _question(step, visit, context.language)
    return {"message": message, "next": step, "awaiting": "answer", "lead_id": visit.lead_id}


def _question(step: str, visit: Visit, language: str) -> str:
    if step == "email":
        return text("ask_email_again" if visit.email_asks else "ask_email", language)
    question = text(_QUESTIONS[step], language)
    if step == "need":
        return question
    space = "" if language == "ja" else " "  # Japanese sentences follow each other without a space
    return f"{text('thanks', language)}{space}{question}"


def _hand_over(context: ActionContext, data: Any, visit: Visit) -> dict[str, Any]:
    saved = save_lead(data, visit, language=context.language, now=context.now)
    visit.lead_id, visit.asked, visit.handed_over = saved.lead_id, None, True
    visit.keep(context.state)
    context.refer(SDR_QUEUE, reason=HANDOFF_REASON, summary=lead_summary(visit, saved, language=context.language))
    key: TextKey = "lead_created" if saved.created else "lead_updated"
    assert visit.email is not None
    return {"message": text(key, context.language, email=visit.email), "next": None, "lead_id": saved.lead_id}


def register(registry: ActionRegistry) -> None:
    registry.add(build_action(quote_prices, purpose=PURPOSE))
    registry.add(build_action(qualify, purpose=PURPOSE))
