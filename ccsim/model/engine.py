"""How a contact moves, in one replication: arrive -> offer -> wait (or abandon, escalate) ->
serve -> after-service decision -> next leg, and what a freed agent does next.

A *contact* is one attempt of a customer; each visit of a contact to a queue is a *leg*. The
engine holds the collaborators that own the state: the leg and contact `Table`s, the
`WaitingLines`, one `AgentPool` per group, and `Flows` (transfers, tiers, returns, escalation,
callbacks, stages), `Chat`, `Availability` (breaks, shrinkage) and `Staffing`, each with a few
verbs. Routing and blending decisions come from policies reading a `RoutingView`. Events run on
the `Kernel`. Where one group alone serves a line, `lanes` runs the same steps in one call. No
pandas and no logging in here.
"""

from __future__ import annotations

import gc
import math
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ccsim.model.arrivals import ArrivalDraws, Arrivals, blocks
from ccsim.model import chunks, lanes
from ccsim.model.chunks import CHUNK_LEGS
from ccsim.model.availability import Availability
from ccsim.model.chat import Chat
from ccsim.model.flows import Flows
from ccsim.model.kernel import Kernel
from ccsim.model.lines import WaitingLines
from ccsim.model.plan import Plan, ramp_share
from ccsim.model.pools import Agent, AgentPool
from ccsim.model.staffing import Staffing
from ccsim.model.states import ABANDONED, ANSWERED, IN_SERVICE_AT_END, OPEN, WAITING, WAITING_AT_END
from ccsim.model.streams import stream
from ccsim.model.tables import CONTACT_FIELDS, LEG_FIELDS, Table
from ccsim.model.view import RoutingView
from ccsim.policies import get_blending, get_policy

INF = math.inf


@dataclass(frozen=True, slots=True)
class EngineRecords:
    """Everything one replication leaves behind, as arrays. Legs and contacts in creation order;
    `legs` has the columns of `LEG_FIELDS` plus `at_end`, `contacts` those of `CONTACT_FIELDS`."""

    legs: dict[str, np.ndarray]
    contacts: dict[str, np.ndarray]
    stages: np.ndarray          # (n, 5): contact, process, stage, entry s, done s
    off: np.ndarray             # (n, 4): group, start s, end s, kind (BREAK, SHRINKAGE) of spells off work
    present_s: np.ndarray       # (groups, intervals): agent-seconds present in each interval
    returns_pending: int        # repeat contacts and retrials still scheduled at the end


class Observer:
    """Watches a run without changing it (tests, tracing): override what you need."""

    def leg_started(self, engine: "Engine", agent: Agent, leg: int) -> None:
        """`agent` is about to serve `leg`."""

    def went_off(self, engine: "Engine", agent: Agent) -> None:
        """`agent` starts a spell off work."""


class Engine:
    """Simulates one replication of a `Plan`."""

    def __init__(self, plan: Plan, seed: int, replication: int, observer: Observer | None = None,
                 on_chunk: Callable[[EngineRecords], None] | None = None, chunk_legs: int = CHUNK_LEGS):
        """`on_chunk`, if given, receives at the end of an arrival block (a day, but the last)
        where at least `chunk_legs` legs are in the tables the records of the customers done by
        then (`EngineRecords` without `off`, `present_s` and pending returns, which come with
        `run`'s records), and their rows are reused: the engine then holds the rows of customers
        still in progress and of at most a few days, not those of the whole run."""
        self.plan = plan
        self.observer = observer
        self.on_chunk, self.chunk_legs = on_chunk, chunk_legs
        self._seed, self._replication = seed, replication
        self.kernel = Kernel(plan.start_s - plan.warmup_s)
        self.env = self.kernel.env      # for callers adding SimPy processes (e.g. to watch a run)
        self.contacts, self.legs = Table(CONTACT_FIELDS), Table(LEG_FIELDS)
        self._entry = [plan.source_entry(source) for source in range(len(plan.source_key))]
        self._pilot_draw = stream(seed, replication, "pilot") if plan.pilot_contacts > 0 else None
        self.has_pilot = self._pilot_draw is not None
        self.handle_factor = None if plan.handle_factor is None else plan.handle_factor.tolist()
        self.pilot_factor = plan.pilot_handle_factor.tolist()
        self.rhythm_factor = None if plan.rhythm_factor is None else plan.rhythm_factor.tolist()
        self._interval_start = plan.interval_start.tolist()
        self.scales_handle = self.handle_factor is not None or self.has_pilot or self.rhythm_factor is not None
        self.after_service = plan.flows.after_service
        # abandonment is lazy (no patience event) except where a retrial must start on time
        self._lazy = tuple(plan.flows.retrial[q] is None for q in plan.line_queue)
        self.lines = WaitingLines(self.kernel, tuple(not d for d in plan.line_deferred), self.abandon)
        self.pools = [AgentPool(g, plan.n_intervals, self.kernel.now) for g in range(plan.n_groups)]
        self.flows = Flows(self, seed, replication)
        self.availability = Availability(self)
        self._owed = self.availability.owed       # per group: spells off work waiting for a freed agent
        self.staffing = Staffing(self)
        blending = get_blending(plan.blending)
        self.view = RoutingView(plan, self.lines, self.pools, self.kernel, self._may_defer, blending.live_first)
        self.blending = blending(self.view, plan.reserve, plan.live_quiet_s)
        self._defers = self.blending.defers()
        self.policy = get_policy(plan.policy)(self.view)
        self.chat = Chat(self)
        self.line_chat = self.view.line_chat
        self._wake_s = INF
        self._single_group, self._single_line = self._shortcuts()
        # bound once: the hot path calls these for every contact
        self._at, self._pop_oldest, self._enqueue = self.kernel.at, self.lines.pop_oldest, self.lines.enqueue
        self._add_leg = self.legs.adder("contact", "queue", "line", "enqueue", "handle", "patience", "origin", "stage")
        self._first_leg, self._last_leg = self.contacts.first_leg, self.contacts.last_leg
        self._decides = any(self.after_service)
        self._after_of = self.flows.after_of
        # per group what runs when its agent finishes a call, per line what offers a leg (None:
        # `offer` itself): the fast lanes where the answer is obvious
        self._release_of: list = [self.release] * plan.n_groups
        self._offer_lane: list = [None] * plan.n_lines
        if lanes.usable(self):
            self._lanes()
        self.flows.bind()

    def _lanes(self) -> None:
        """Fast lanes for the lines and groups whose decisions need no call: one group alone
        serves the line / the group serves one line alone, or the policy decides by fixed tiers
        (`RoutingPolicy.tiers`); with tiers, chats start, fill and end in closures too."""
        tiers = self.policy.tiers()
        chat = None
        if tiers is not None and any(self.line_chat):
            # Chat's verbs as closures; a chat's end places a freed agent through `_release_of`
            self.chat.start, self.chat.fill, self.chat._finish = chat_steps = \
                lanes.chat_steps(self, tiers[1], self._release_of)
            chat = chat_steps[:2]
        for group, line in enumerate(self._single_line):
            if line >= 0:
                self._release_of[group] = lanes.release_lane(self, group, line)
            elif tiers is not None:
                self._release_of[group] = lanes.tiered_release_lane(self, group, tiers[1][group], chat)
        for line, group in enumerate(self._single_group):
            if group >= 0:
                self._offer_lane[line] = lanes.offer_lane(self, line, group, self._release_of[group])
            elif tiers is not None:
                self._offer_lane[line] = lanes.tiered_offer_lane(self, line, tiers[0][line], self._release_of,
                                                                 self.chat.start if self.line_chat[line] else None)

    def _admit(self, arrivals: Arrivals) -> list[int]:
        """Rows for the block's fresh contacts and their first legs; return the legs in arrival
        order. A process contact starts waiting when its stage opens."""
        plan, n = self.plan, len(arrivals)
        entry = self._entry
        queue = np.array([q for q, _ in entry] or [0])[arrivals.source]
        process = np.array([p for _, p in entry] or [0])[arrivals.source]
        line = np.array([plan.queue_line[q] if p < 0 else plan.stages[p][0].line for q, p in entry] or [0])
        stage = np.where(process >= 0, 0, -1)
        pilot = self._pilot_draw.random(n) < plan.pilot_contacts if self.has_pilot else 0
        contacts = self.contacts.put(n, process=process, stage=stage, arrival=arrivals.time, pilot=pilot)
        legs = self.legs.put(n, contact=contacts, queue=queue, line=line[arrivals.source],
                             enqueue=np.where(process < 0, arrivals.time, np.nan),
                             handle=arrivals.handle_s, patience=arrivals.patience_s, stage=stage)
        columns = self.contacts.arrays()
        columns["customer"][contacts], columns["first_leg"][contacts], columns["last_leg"][contacts] = \
            contacts, legs, legs
        del columns         # a view: the table takes no more rows while it lives
        return legs.tolist()

    def _shortcuts(self) -> tuple[list[int], list[int]]:
        """Per line the group that alone serves it, per group the line it alone serves (-1: none),
        where the policy promises the obvious answer (no chat, no deferred work)."""
        plan = self.plan
        single_group, single_line = [-1] * plan.n_lines, [-1] * plan.n_groups
        if not self.policy.obvious_when_single:
            return single_group, single_line
        plain = [not (self.line_chat[ln] or plan.line_deferred[ln]) for ln in range(plan.n_lines)]
        groups = [[g for g in range(plan.n_groups) if q in plan.rank[g]] for q in plan.line_queue]
        for line, eligible in enumerate(groups):
            if plain[line] and len(eligible) == 1:
                single_group[line] = eligible[0]
        for g in range(plan.n_groups):
            mine = [ln for ln, q in enumerate(plan.line_queue) if q in plan.rank[g]]
            if len(mine) == 1 and plain[mine[0]]:
                single_line[g] = mine[0]
        return single_group, single_line

    # -- running ---------------------------------------------------------------------
    def run(self) -> EngineRecords:
        """Run the replication, one arrival block at a time; the records of every customer not
        handed to `on_chunk`."""
        plan, kernel = self.plan, self.kernel
        self.staffing.start()
        # every heap entry is a new tuple: with the collector on, its passes over the whole process
        # (pandas, scipy) cost more than the run's own work; the run makes no reference cycles
        collecting = gc.isenabled()
        gc.disable()
        try:
            arrive = self._arrivals_to()
            spans, draws = blocks(plan), ArrivalDraws(plan, self._seed, self._replication)
            # room for the fresh contacts the tables will hold at once: all, or a chunk's worth and a day
            rows = draws.most() if self.on_chunk is None else min(draws.most(), self.chunk_legs + draws.most(1))
            self.contacts.reserve(rows)
            self.legs.reserve(rows)
            for block, (_, until_s) in enumerate(spans):
                arrivals = draws.next_block()
                legs = self._admit(arrivals)
                kernel.run(until_s, arrivals.time.tolist(),
                           arrive if callable(arrive) else [arrive[s] for s in arrivals.source.tolist()], legs)
                del arrivals
                if self.on_chunk is not None and block + 1 < len(spans) \
                        and self.legs.n_in_use() >= self.chunk_legs:
                    self.on_chunk(chunks.take_done(self))
        finally:
            if collecting:
                gc.enable()
        for pool in self.pools:
            pool.account(plan.end_s)
        self.lines.expire_until(plan.end_s)
        return chunks.take_rest(self)

    def _arrivals_to(self) -> Callable[[int], None] | list[Callable[[int], None]]:
        """What the kernel calls with a fresh arrival's first leg: a line's lane when every fresh
        contact starts in that line, else per source of arrivals, its line's lane, or for a
        process, the step that starts it."""
        plan = self.plan
        sources = [s for s in range(len(plan.source_key)) if plan.rates_per_s[s].any()]
        lines = {plan.queue_line[self._entry[s][0]] for s in sources if self._entry[s][1] < 0}
        if len(lines) == 1 and all(self._entry[s][1] < 0 for s in sources):
            return self.offer_of(lines.pop())
        return [self.flows.arrival_step(process) if process >= 0 else self.offer_of(plan.queue_line[queue])
                for queue, process in self._entry]

    # -- a contact moves -----------------------------------------------------------------
    def offer_of(self, line: int) -> Callable[[int], None]:
        """What offers a new leg of `line`: its lane, or `offer`."""
        lane = self._offer_lane[line]
        return self.offer if lane is None else lane

    def release_of(self, group: int) -> Callable[[Agent], None]:
        """What places a freed agent of `group`: its lane, or `release`."""
        return self._release_of[group]

    def new_contact(self, customer: int, attempt: int, kind: int, process: int) -> int:
        """Register a contact arriving now of `customer` (the row of its first contact) and
        return its row."""
        contacts = self.contacts
        return contacts.add(customer=customer, attempt=attempt, kind=kind, arrival=self.kernel.now, process=process,
                            pilot=contacts.pilot[customer])

    def new_leg(self, contact: int, queue: int, line: int, origin: int, handle: float, patience: float,
                stage: int) -> int:
        """Register a leg of `contact` waiting in `line` from now; return its index."""
        leg = self._add_leg(contact, queue, line, self.kernel.now, handle, patience, origin, stage)
        if self._first_leg[contact] < 0:
            self._first_leg[contact] = leg
        self._last_leg[contact] = leg
        return leg

    def offer(self, leg: int) -> None:
        """Hand a new leg to an idle agent, or let it wait (with its patience and escalation timers)."""
        line = self.legs.line[leg]
        lane = self._offer_lane[line]
        if lane is not None:
            lane(leg)
            return
        group = self._single_group[line]
        if group >= 0:
            pool = self.pools[group]
            if pool.idle:
                self.start(pool.take_idle(), leg)
                return
        else:
            group = self.policy.select_agent(line)
            if group is not None:
                if self.line_chat[line]:
                    self.chat.start(self.chat.agent_of(group), leg)
                else:
                    self.start(self.pools[group].take_idle(), leg)
                return
        self.wait(leg, line)

    def wait(self, leg: int, line: int) -> None:
        """A new leg of `line` that no agent took waits (or takes a callback offer)."""
        flows = self.flows
        if flows.offers_callbacks and flows.offer_callback(leg):
            return
        legs = self.legs
        patience, enqueue_s = legs.patience[leg], legs.enqueue[leg]
        if self._lazy[line]:
            self._enqueue(leg, line, enqueue_s, enqueue_s + patience)
        else:
            self._enqueue(leg, line, enqueue_s)
            if patience != INF:
                self._at(patience, self._patience_over, leg)
        if flows.escalates:
            flows.arm_escalation(leg)

    def deadline(self, leg: int, line: int) -> float:
        """When `leg`, waiting in `line`, abandons lazily (inf: by its own event, or never)."""
        return self.legs.enqueue[leg] + self.legs.patience[leg] if self._lazy[line] else INF

    def _patience_over(self, leg: int) -> None:
        if self.legs.state[leg] == WAITING:
            self.lines.leave(leg)
            self.abandon(leg, self.kernel.now)

    def abandon(self, leg: int, at_s: float) -> None:
        """`leg` stopped waiting at `at_s` (its patience ran out); the customer may try again."""
        self.legs.state[leg] = ABANDONED
        self.legs.end[leg] = at_s
        self.flows.after_abandon(leg)

    def in_pilot(self, leg: int) -> bool:
        """Is the customer of `leg` in a pilot on contacts?"""
        return self.has_pilot and self.contacts.pilot[self.legs.contact[leg]] == 1

    def handle_scale(self, group: int, leg: int) -> float:
        """Factor on the handle time of `leg` served by `group`: the group's, its focus/rest
        rhythm's in the current interval, and a pilot's."""
        queue = self.legs.queue[leg]
        factor = 1.0 if self.handle_factor is None else self.handle_factor[group][queue]
        ramp, now = self.plan.ramp[group], self.kernel.now
        if ramp is not None:
            factor = 1.0 + ramp_share(ramp, now) * (factor - 1.0)
        if self.rhythm_factor is not None:       # warmup: the first interval's; closed hours: the last one's
            factor *= self.rhythm_factor[group][max(bisect_right(self._interval_start, now) - 1, 0)]
        if not self.in_pilot(leg):
            return factor
        return factor * (1.0 + ramp_share(self.plan.pilot_ramp, now) * (self.pilot_factor[queue] - 1.0))

    def start(self, agent: Agent, leg: int, done=None, value=None) -> None:
        """`agent` (counted busy) answers `leg` now. A call or email (no `done`): its handle time
        is scaled for the agent's group and `release(agent)` runs when it ends; otherwise (a chat)
        the handle time is final and `done(value)` runs when it ends."""
        legs = self.legs
        if done is None:
            if self.scales_handle:
                legs.handle[leg] *= self.handle_scale(agent.group, leg)
            agent.leg = leg
            done, value = self._release_of[agent.group], agent
        if self.observer is not None:
            self.observer.leg_started(self, agent, leg)
        legs.state[leg] = ANSWERED
        legs.answer[leg] = self.kernel.now
        legs.group[leg] = agent.group
        self._at(legs.handle[leg], done, value)

    # -- a freed agent ---------------------------------------------------------------------
    def release(self, agent: Agent, joining: bool = False) -> None:
        """An agent whose call or email (if any) just ended, counted busy: the after-service
        decision runs; the agent leaves if its group is shrinking, goes off work if asked (a break,
        shrinkage), else takes the next waiting leg its policy picks, or waits idle. An agent
        `joining` the group looks for work straight away."""
        leg = agent.leg
        if leg >= 0:
            agent.leg = -1
            if self._decides:
                after = self._after_of[self.legs.queue[leg]]
                if after is not None:
                    after(leg)
        group = agent.group
        pool = self.pools[group]
        if not joining:
            if pool.leaving:
                pool.leave_busy(self.kernel.now)
                return
            if self._owed[group] and self.availability.take_freed(agent):
                return
        line = self._single_line[group]
        if line >= 0:                       # the obvious choice: skip the policy
            leg = self._pop_oldest(line)
            if leg >= 0:
                self.start(agent, leg)
            else:
                pool.make_idle(agent, self.kernel.now)
            return
        line = self.policy.select_line(group, False)
        if line is None:
            pool.make_idle(agent, self.kernel.now)
        else:
            self.serve(agent, line)

    def serve(self, agent: Agent, line: int) -> None:
        """`agent` (free) takes the oldest leg waiting in `line`, and more chats if it has room."""
        leg = self.lines.pop_oldest(line)
        if self.line_chat[line]:
            self.chat.start(agent, leg)
            self.chat.fill(agent)
        else:
            self.start(agent, leg)

    # -- blending: look again later --------------------------------------------------------
    def _may_defer(self, group: int, from_idle: bool) -> bool:
        if not self._defers:
            return True
        now, from_s = self.kernel.now, self.blending.defer_from(group, from_idle)
        if from_s <= now:
            return True
        if from_s < self._wake_s:       # let idle agents look for work again then
            self._wake_s = from_s
            self.kernel.at(from_s - now, self._wake, from_s)
        return False

    def _wake(self, time_s: float) -> None:
        if time_s != self._wake_s:
            return                               # superseded by an earlier wake-up
        self._wake_s = INF
        for pool in self.pools:
            for agent in list(pool.idle):
                line = self.policy.select_line(pool.group, False)
                if line is None:
                    break                        # same group, same skills: the others find nothing either
                pool.unidle(agent)
                self.serve(agent, line)
