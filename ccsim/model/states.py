"""Codes the engine stores per leg and per contact (small ints in its typed columns)."""

# leg states: how a leg ended (WAITING: still waiting at the end)
WAITING, ANSWERED, ABANDONED, ESCALATED, CALLBACK = 0, 1, 2, 3, 4
LEG_STATES = ("in_system", "answered", "abandoned", "escalated", "callback")

# leg origins: what put the leg in its queue; a contact's kind is one of the first three
FRESH, REPEAT, RETRIAL, TRANSFER, ESCALATION, TIER, STAGE, CALLBACK_LEG = range(8)
ORIGINS = ("fresh", "repeat", "retrial", "transfer", "escalation", "tier", "stage", "callback")

# what a finished service decided (OPEN: the service was still running at the end, nothing decided)
RESOLVED, TRANSFERRED, UNRESOLVED, OPEN = 0, 1, 2, 3

# where the engine found a leg when the replication ended: finished, still in a waiting line,
# or with its service still running
DONE, WAITING_AT_END, IN_SERVICE_AT_END = 0, 1, 2
