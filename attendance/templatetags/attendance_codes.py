from django import template

from ..models import attendance_code, attendance_label

register = template.Library()

# A register's status as its short code and as its label, from the one source in
# attendance.models (the person's area registers the same functions for its
# own templates).
register.filter("attendance_code", attendance_code)
register.filter("attendance_label", attendance_label)
