"""Staffing: required agents per interval from Erlang, corrected by simulation, turned into shifts."""

from ccsim.staffing.requirements import requirements
from ccsim.staffing.search import StaffSearch, search_staff
from ccsim.staffing.staff import Staffing, staff

__all__ = ["StaffSearch", "Staffing", "requirements", "search_staff", "staff"]
