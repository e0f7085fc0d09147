"""Budget lines: remaining = budget − committed − reserved, derived every time."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Balance:
    budget: int
    committed: int
    reserved: int

    @property
    def remaining(self) -> int:
        return self.budget - self.committed - self.reserved

    @property
    def used(self) -> int:
        return self.committed + self.reserved


@dataclass(frozen=True)
class Limits:
    """The money settings of a workspace, in minor units."""

    team_budget: int
    rep_allowance: int
    auto_approve_limit: int
    customer_cap: int
    max_perk: int
