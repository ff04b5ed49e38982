"""Meeting directories: public meeting lists (Meeting Guide and BMLT feeds), kept offline.

- ``model``: a meeting as Tracker keeps it, whatever feed it came from.
- ``feeds``: reading a feed file (either format) into meetings, strictly about the file and
  liberally about its records.
- ``filters``: what the Meetings directory and ``tracker meetings list`` show, and in what order.
- ``calendar``: the person's groups as an iCalendar file.
- ``fetch``: the one place in Tracker that may use the network, and only when the person
  runs ``tracker meetings import`` with a web address.

Everything but ``fetch`` is pure: no I/O, no clock, no Textual.
"""
