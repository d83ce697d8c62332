"""Staffing: required agents per interval from Erlang, corrected by simulation, turned into shifts or
weekly rosters."""

from ccsim.staffing.requirements import requirements
from ccsim.staffing.search import StaffSearch, search_staff
from ccsim.staffing.shift_plan import ShiftPlan, ShiftTemplate, ShiftTemplates, plan_shifts
from ccsim.staffing.staff import Staffing, staff
from ccsim.staffing.roster import Roster, plan_roster, staff_roster

__all__ = ["Roster", "ShiftPlan", "ShiftTemplate", "ShiftTemplates", "StaffSearch", "Staffing", "plan_roster",
           "plan_shifts", "requirements", "search_staff", "staff", "staff_roster"]
