"""The words buurtkaart stores and compares: statuses of people, addresses, lookups and signs, the plan modes, and
the defaults of an infobord plan (:class:`PlanOptions`).

Each is a :class:`~enum.StrEnum` whose values are the stored strings, so a member compares equal to the text in
a layer (``MemberStatus.LID == "lid"``) and a pandas ``isin`` with a set below works on stored columns. Where a
meaning needs several statuses it has one named set here, and every module uses that name.

>>> MemberStatus.LID == "lid", str(PlanMode.EVERY_ENTRY)
(True, 'elke-invalsweg')
>>> [str(s) for s in CURRENT_MEMBER_STATUSES], [str(s) for s in JOINING_OR_MEMBER_STATUSES]
(['lid'], ['kandidaat', 'goedgekeurd', 'lid'])
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar


class MemberStatus(StrEnum):
    """Status of a person in the ``members`` layer (the joining workflow of DOMAIN.md)."""

    KANDIDAAT = "kandidaat"  # applied, waiting for the police
    GOEDGEKEURD = "goedgekeurd"  # approved by the police, waiting for the coordinator
    GEWEIGERD = "geweigerd"  # refused by the police
    LID = "lid"  # member of the WhatsApp group
    VERTROKKEN = "vertrokken"  # left the group


#: Every member status, in workflow order.
MEMBER_STATUSES: tuple[MemberStatus, ...] = (MemberStatus.KANDIDAAT, MemberStatus.GOEDGEKEURD,
                                             MemberStatus.GEWEIGERD, MemberStatus.LID, MemberStatus.VERTROKKEN)
#: Who is a member of a group now: counted in participation figures and boundary checks.
CURRENT_MEMBER_STATUSES: tuple[MemberStatus, ...] = (MemberStatus.LID,)
#: Joining or member (not refused, not left): their address matters; their group follows the boundaries.
JOINING_OR_MEMBER_STATUSES: tuple[MemberStatus, ...] = (MemberStatus.KANDIDAAT, MemberStatus.GOEDGEKEURD,
                                                       MemberStatus.LID)
#: What a coordinator may list of their own group (never a candidate the police did not screen yet).
COORDINATOR_VISIBLE_STATUSES: tuple[MemberStatus, ...] = (MemberStatus.GOEDGEKEURD, MemberStatus.LID,
                                                          MemberStatus.VERTROKKEN)
#: Finished with the group: erased after the retention period.
FINISHED_STATUSES: tuple[MemberStatus, ...] = (MemberStatus.GEWEIGERD, MemberStatus.VERTROKKEN)
#: Stuck in the workflow (never screened or never added): erased after the retention period too.
PENDING_STATUSES: tuple[MemberStatus, ...] = (MemberStatus.KANDIDAAT, MemberStatus.GOEDGEKEURD)


class AddressStatus(StrEnum):
    """Where a point or a person ends after assignment to the group areas."""

    TOEGEWEZEN = "toegewezen"  # inside exactly one group
    OVERLAP = "overlap"  # inside two or more groups (a conflict to solve)
    NIET_GEDEKT = "niet_gedekt"  # inside the municipality, in no group
    BUITEN_GEMEENTE = "buiten_gemeente"  # outside the municipality
    GEEN_PUNT = "geen_punt"  # no geometry
    ADRES_NIET_GEVONDEN = "adres_niet_gevonden"  # a person's address text was not found
    TOEGEWEZEN_DOOR_GEMEENTE = "toegewezen_door_gemeente"  # a member's group chosen by staff (overlap, gap)


#: The statuses of :func:`buurtkaart.assignment.points.assign_points`, in this order (stored as codes).
POINT_STATUSES: tuple[AddressStatus, ...] = (AddressStatus.TOEGEWEZEN, AddressStatus.OVERLAP,
                                             AddressStatus.NIET_GEDEKT, AddressStatus.BUITEN_GEMEENTE,
                                             AddressStatus.GEEN_PUNT)
#: The statuses of an address that a group covers (one group, or an overlap of several).
COVERED_STATUSES: tuple[AddressStatus, ...] = (AddressStatus.TOEGEWEZEN, AddressStatus.OVERLAP)
#: The statuses of an address in the coverage figures.
COVERAGE_STATUSES: tuple[AddressStatus, ...] = POINT_STATUSES[:4]
#: The statuses of a person of :func:`buurtkaart.assignment.bulk.assign_people` (each row ends in one).
PEOPLE_STATUSES: tuple[AddressStatus, ...] = (AddressStatus.TOEGEWEZEN, AddressStatus.OVERLAP,
                                              AddressStatus.NIET_GEDEKT, AddressStatus.ADRES_NIET_GEVONDEN,
                                              AddressStatus.BUITEN_GEMEENTE)


class LookupStatus(StrEnum):
    """How an address lookup found its result, best first."""

    EXACT = "exact"
    FUZZY_STREET = "fuzzy_street"
    INTERPOLATED = "interpolated"
    STREET_ONLY = "street_only"
    AMBIGUOUS = "ambiguous"
    NOT_FOUND = "not_found"


#: Every lookup status, best first.
LOOKUP_STATUSES: tuple[LookupStatus, ...] = tuple(LookupStatus)
#: Lookup statuses that found no one address: the text matched nothing, or several equally well.
UNSURE_LOOKUP_STATUSES: tuple[LookupStatus, ...] = (LookupStatus.AMBIGUOUS, LookupStatus.NOT_FOUND)
#: Lookup statuses that come with a point of the address (register or interpolated).
LOOKUP_FOUND_STATUSES: frozenset[LookupStatus] = frozenset({LookupStatus.EXACT, LookupStatus.FUZZY_STREET,
                                                            LookupStatus.INTERPOLATED})


class SignStatus(StrEnum):
    """Status of an infobord (road sign) in the ``infoborden`` layer."""

    GEPLAND = "gepland"
    GEPLAATST = "geplaatst"
    TE_VERWIJDEREN = "te_verwijderen"


#: Every sign status.
SIGN_STATUSES: tuple[SignStatus, ...] = tuple(SignStatus)
#: Signs that stand or will stand (a plan keeps them, a boundary change checks them).
STANDING_SIGN_STATUSES: tuple[SignStatus, ...] = (SignStatus.GEPLAND, SignStatus.GEPLAATST)


class PlanMode(StrEnum):
    """How :func:`buurtkaart.infoborden.plan_infoborden` chooses sites."""

    EVERY_ENTRY = "elke-invalsweg"  # a sign at every entry road (the BIN circular)
    BUDGET = "budget"  # at most ``budget`` signs, covering the most entry roads


#: Every plan mode.
PLAN_MODES: tuple[PlanMode, ...] = tuple(PlanMode)


@dataclass(frozen=True)
class PlanOptions:
    """The defaults of an infobord plan, read by :func:`buurtkaart.infoborden.plan_infoborden`, the command
    ``buurtkaart infoborden plan`` and the staff page, so that the three propose the same plan.

    >>> PlanOptions().coverage_distance_m, PlanOptions(setback_m=20).setback_m
    (300.0, 20)
    """

    #: Every entry road, or at most ``budget`` signs.
    mode: PlanMode = PlanMode.EVERY_ENTRY
    #: Number of (new) signs in budget mode; ``None`` outside it.
    budget: int | None = None
    #: The budget counts per group instead of in total.
    per_group: bool = False
    #: A sign covers the households within this distance along the streets.
    coverage_distance_m: float = 300.0
    #: A pole stands this far inside the area from where the road crosses the border.
    setback_m: float = 15.0
    #: A road ending this close to the border still counts as crossing it.
    border_tolerance_m: float = 10.0
    #: Entries closer than this share one pole.
    merge_distance_m: float = 25.0
    #: A road must reach this far in (or out) to be an entry road rather than a dead end.
    reach_m: float = 100.0
    #: An existing sign this close to a planned site is that site's sign.
    match_distance_m: float = 40.0
    #: The MILP solver of budget mode.
    solver: str = "highs"
    #: The solver stops after this many seconds with the best plan found.
    time_limit_s: float = 120.0
    #: What a form proposes when budget mode is chosen (a few new signs, counted per group).
    form_budget: ClassVar[int] = 2
    form_per_group: ClassVar[bool] = True


#: The plan defaults as one object (``PLAN_DEFAULTS.setback_m``).
PLAN_DEFAULTS = PlanOptions()
