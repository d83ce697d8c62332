"""Codes the engine stores per leg and per contact (small ints in plain lists)."""

# leg states: how a leg ended (WAITING: still waiting at the end)
WAITING, ANSWERED, ABANDONED, ESCALATED, CALLBACK = 0, 1, 2, 3, 4
LEG_STATES = ("in_system", "answered", "abandoned", "escalated", "callback")

# leg origins: what put the leg in its queue; a contact's kind is one of the first three
FRESH, REPEAT, RETRIAL, TRANSFER, ESCALATION, TIER, STAGE, CALLBACK_LEG = range(8)
ORIGINS = ("fresh", "repeat", "retrial", "transfer", "escalation", "tier", "stage", "callback")

# what a finished service decided
RESOLVED, TRANSFERRED, UNRESOLVED = 0, 1, 2
