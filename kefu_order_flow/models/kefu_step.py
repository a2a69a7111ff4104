# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The columns of the flow's table (kefu_flow.py): a step, and whom it tells.

Each row is one step: the method that takes it, the stages it starts from,
the stage it leads to (None: the stage stays), the groups that may take it
(none: the flow's own transitions, taken by code), and when its button shows
besides that. One entry point, ``_kefu_enter()`` (below the table), reads
the row: group, then the order's row lock, then the stage. Once the step is
taken, ``_kefu_step_done()`` reads it again: the hand-offs it ends, and whom
it tells. The buttons' visibility comes from the same rows
(``kefu_can_<step>``), so a view never repeats a guard. What a step checks
beyond that (the sheet's blockers, an amount) stays in its own method, as a
gate with its own message; ``show`` is only the hint that keeps a button out
of sight when it could not succeed.
"""

from typing import NamedTuple

from odoo.tools.translate import LazyGettext


class Step(NamedTuple):
    """One step of the order flow: a row of ``KEFU_FLOW``."""

    action: str  # the method that takes the step
    sources: tuple  # stages it starts from
    target: str | None  # stage it leads to, None when the stage stays
    groups: tuple  # any of these groups may take it
    show: tuple | list = ()  # domain: when its button shows, besides group and stage
    salesperson: bool = False  # the order's own salesperson may take it too
    flag: str = ""  # label of its flag kefu_can_<step>, which shows its button
    # The form's one primary button is the first step (lowest ``lead``) the
    # user can take now whose ``lead_when`` domain also holds; 0: never leads
    # (mails, side paths, exceptions).
    lead: int = 0
    lead_when: tuple | list = ()
    # Taken in the written-step dialog (kefu.step.wizard): its title there, and
    # whether it cannot be taken back (the dialog warns in red).
    reason: str = ""
    grave: bool = False
    help: LazyGettext | None = None  # what the step does, above its input
    document: str = ""  # the document it sends, in the send dialog
    # The dialog its button opens when the step asks for more than a click:
    # the action ``kefu_<dialog>_wizard_action`` (a written step's is
    # ``step``, a sending's ``send``).
    dialog: str = ""
    # The hand-offs it ends (the flow's activity types, ``ACT`` + name), done
    # whoever of the department took it, and whom it tells: applied by
    # ``_kefu_step_done()`` once the step is taken. A hand-off that ends only
    # on some outcome (the whole deposit) is ended by the step's own code.
    done: tuple = ()
    tells: tuple = ()

    @property
    def opens(self):
        """The dialog its button opens (``kefu_<opens>_wizard_action``), or
        "" when the step's method is all."""
        return self.dialog or (self.reason and "step") or (self.document and "send")


class Tell(NamedTuple):
    """Whom a step tells, once it is taken, on each order for which ``when``
    holds then. ``text`` may name %(order)s, %(user)s (who took the step),
    %(date)s (the planned date), %(days)s (the days it slipped) and what the
    step passes (a reason)."""

    # The note; for an activity, its summary (None: its type's summary).
    text: LazyGettext | None = None
    # The departments told, those of the order's company: a group's xml id,
    # or (group, but_not_group).
    groups: tuple = ()
    # The order's salesperson too; told alone (no groups), whoever took the
    # step when the order has none.
    salesperson: bool = False
    actor: bool = False  # whoever took the step (a chase for themselves)
    # An activity of this type (an xml id) for each: a hand-off, to do;
    # otherwise a note in the chatter (their inbox), or, to nobody, a note.
    activity: str = ""
    note: LazyGettext | str | None = None  # the activity's note
    days: int = 0  # the activity is due in local days; 0: its type's delay
    template: str = ""  # a mail to the customer instead (xml id)
    when: tuple | list = ()  # domain on the order after the step
