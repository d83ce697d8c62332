"""Staffing: required agents per interval from Erlang, corrected by simulation, turned into shifts."""

from ccsim.staffing.requirements import requirements
from ccsim.staffing.search import StaffSearch, search_staff
from ccsim.staffing.shift_plan import ShiftPlan, ShiftTemplate, ShiftTemplates, plan_shifts
from ccsim.staffing.staff import Staffing, staff

__all__ = ["ShiftPlan", "ShiftTemplate", "ShiftTemplates", "StaffSearch", "Staffing", "plan_shifts", "requirements",
           "search_staff", "staff"]
