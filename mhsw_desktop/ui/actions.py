"""The action registry: every menu item, shortcut and toolbar button declared once.

An action's words (its text, accessible name and status tip) and the menus' titles are
source text, marked for lupdate in the "Actions" context; :func:`make_action` (and so
:func:`build_actions`) and :func:`accessible_name` give them in the interface's language,
and :func:`words` does the same for a menu title.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from mhsw_desktop.ui.translation import QT_TRANSLATE_NOOP

StandardKey = QKeySequence.StandardKey
#: the translations' context of every action's words and of the menus' titles
CONTEXT = "Actions"


@dataclass(frozen=True)
class ActionSpec:
    """An action's identity and words; ``shortcut`` is a StandardKey where Qt has one.

    ``text``, ``accessible_name`` and ``status_tip`` are the English source text (marked
    with ``QT_TRANSLATE_NOOP("Actions", …)``); the QAction shows them translated.
    """

    id: str
    text: str
    accessible_name: str
    status_tip: str
    shortcut: QKeySequence.StandardKey | str | None = None
    menu: str = "file"
    toolbar: bool = False
    #: a separator goes before this action in its menu
    group_start: bool = False


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "new_client",
        QT_TRANSLATE_NOOP("Actions", "&New client…"),
        QT_TRANSLATE_NOOP("Actions", "New client"),
        QT_TRANSLATE_NOOP("Actions", "Add a client to the caseload"),
        StandardKey.New,
        menu="clients",
        toolbar=True,
    ),
    ActionSpec(
        "edit_client",
        QT_TRANSLATE_NOOP("Actions", "&Edit client…"),
        QT_TRANSLATE_NOOP("Actions", "Edit client"),
        QT_TRANSLATE_NOOP("Actions", "Open the selected client's record"),
        "Ctrl+E",
        menu="clients",
        toolbar=True,
    ),
    ActionSpec(
        "discharge_client",
        QT_TRANSLATE_NOOP("Actions", "&Discharge client…"),
        QT_TRANSLATE_NOOP("Actions", "Discharge client"),
        QT_TRANSLATE_NOOP("Actions", "Discharge the selected client with a date and a reason"),
        None,
        menu="clients",
        toolbar=True,
    ),
    ActionSpec(
        "find",
        QT_TRANSLATE_NOOP("Actions", "&Filter clients"),
        QT_TRANSLATE_NOOP("Actions", "Filter clients"),
        QT_TRANSLATE_NOOP("Actions", "Move to the client filter"),
        StandardKey.Find,
        menu="clients",
    ),
    ActionSpec(
        "view_today",
        QT_TRANSLATE_NOOP("Actions", "&Today"),
        QT_TRANSLATE_NOOP("Actions", "Show today"),
        QT_TRANSLATE_NOOP("Actions", "Tasks due, notes to finish and recovered drafts"),
        "Ctrl+1",
        menu="view",
    ),
    ActionSpec(
        "view_clients",
        QT_TRANSLATE_NOOP("Actions", "&Clients"),
        QT_TRANSLATE_NOOP("Actions", "Show clients"),
        QT_TRANSLATE_NOOP("Actions", "The caseload"),
        "Ctrl+2",
        menu="view",
    ),
    ActionSpec(
        "view_search",
        QT_TRANSLATE_NOOP("Actions", "&Search"),
        QT_TRANSLATE_NOOP("Actions", "Show search"),
        QT_TRANSLATE_NOOP("Actions", "Search notes and clients"),
        "Ctrl+3",
        menu="view",
    ),
    ActionSpec(
        "new_note",
        QT_TRANSLATE_NOOP("Actions", "New &note…"),
        QT_TRANSLATE_NOOP("Actions", "New note"),
        QT_TRANSLATE_NOOP("Actions", "Write a session note for the selected client"),
        "Ctrl+Shift+N",
        menu="notes",
        toolbar=True,
    ),
    ActionSpec(
        "add_task",
        QT_TRANSLATE_NOOP("Actions", "Add &task…"),
        QT_TRANSLATE_NOOP("Actions", "Add task"),
        QT_TRANSLATE_NOOP("Actions", "Add a follow-up task with a due date"),
        "Ctrl+T",
        menu="notes",
    ),
    ActionSpec(
        "collaborators",
        QT_TRANSLATE_NOOP("Actions", "C&ollaborators…"),
        QT_TRANSLATE_NOOP("Actions", "Collaborator directory"),
        QT_TRANSLATE_NOOP(
            "Actions", "Psychiatrists, doctors, counsellors and others you coordinate care with"
        ),
        None,
        menu="clients",
        group_start=True,
    ),
    ActionSpec(
        "resources",
        QT_TRANSLATE_NOOP("Actions", "Community &resources…"),
        QT_TRANSLATE_NOOP("Actions", "Community resource directory"),
        QT_TRANSLATE_NOOP(
            "Actions",
            "Food, housing, transport, benefits, crisis, support groups, legal aid and treatment "
            "services to refer clients to; CSV import and export",
        ),
        None,
        menu="clients",
    ),
    ActionSpec(
        "audit_log",
        QT_TRANSLATE_NOOP("Actions", "&Audit log…"),
        QT_TRANSLATE_NOOP("Actions", "Audit log"),
        QT_TRANSLATE_NOOP(
            "Actions",
            "Who opened, changed, signed, printed or exported what, and when; check the chain",
        ),
        None,
    ),
    ActionSpec(
        "export_all",
        QT_TRANSLATE_NOOP("Actions", "E&xport all data…"),
        QT_TRANSLATE_NOOP("Actions", "Export all data"),
        QT_TRANSLATE_NOOP(
            "Actions", "Every record as JSON and CSV, into a folder or one encrypted archive"
        ),
        None,
        menu="file",
        group_start=True,
    ),
    ActionSpec(
        "backup_now",
        QT_TRANSLATE_NOOP("Actions", "&Back up now"),
        QT_TRANSLATE_NOOP("Actions", "Back up now"),
        QT_TRANSLATE_NOOP(
            "Actions",
            "An encrypted backup of the whole vault into its backups folder (and the second "
            "folder)",
        ),
        "Ctrl+Shift+B",
        menu="file",
    ),
    ActionSpec(
        "restore_backup",
        QT_TRANSLATE_NOOP("Actions", "Rest&ore from backup…"),
        QT_TRANSLATE_NOOP("Actions", "Restore from backup"),
        QT_TRANSLATE_NOOP(
            "Actions",
            "Check a backup fully, then put it in place of the vault (which is kept aside)",
        ),
        None,
        menu="file",
    ),
    ActionSpec(
        "backup_settings",
        QT_TRANSLATE_NOOP("Actions", "Bac&kup settings…"),
        QT_TRANSLATE_NOOP("Actions", "Backup settings"),
        QT_TRANSLATE_NOOP(
            "Actions", "How many backups to keep, and a second folder such as a USB drive"
        ),
        None,
        menu="file",
    ),
    ActionSpec(
        "import_clients",
        QT_TRANSLATE_NOOP("Actions", "&Import clients from CSV…"),
        QT_TRANSLATE_NOOP("Actions", "Import clients from CSV"),
        QT_TRANSLATE_NOOP(
            "Actions", "Add clients from another program's CSV file, with a preview of the columns"
        ),
        None,
        menu="file",
    ),
    ActionSpec(
        "practitioner_profile",
        QT_TRANSLATE_NOOP("Actions", "&Practitioner profile…"),
        QT_TRANSLATE_NOOP("Actions", "Practitioner profile"),
        QT_TRANSLATE_NOOP(
            "Actions", "Your name, credentials and licence number for signing; practice details"
        ),
        None,
        menu="file",
    ),
    ActionSpec(
        "note_templates",
        QT_TRANSLATE_NOOP("Actions", "Note &templates…"),
        QT_TRANSLATE_NOOP("Actions", "Note templates"),
        QT_TRANSLATE_NOOP("Actions", "Add your own note template or change one you added"),
        None,
        menu="notes",
    ),
    ActionSpec(
        "lock",
        QT_TRANSLATE_NOOP("Actions", "&Lock"),
        QT_TRANSLATE_NOOP("Actions", "Lock the vault"),
        QT_TRANSLATE_NOOP("Actions", "Lock the vault now (also happens when idle)"),
        "Ctrl+L",
        menu="file",
        toolbar=True,
    ),
    ActionSpec(
        "change_passphrase",
        QT_TRANSLATE_NOOP("Actions", "&Change passphrase…"),
        QT_TRANSLATE_NOOP("Actions", "Change passphrase"),
        QT_TRANSLATE_NOOP("Actions", "Choose a new passphrase for this vault"),
        None,
        menu="file",
    ),
    ActionSpec(
        "print_summary",
        QT_TRANSLATE_NOOP("Actions", "Print session &summary…"),
        QT_TRANSLATE_NOOP("Actions", "Print session summary"),
        QT_TRANSLATE_NOOP(
            "Actions",
            "Preview, print or save the selected note (or the client's latest) as a session "
            "summary",
        ),
        StandardKey.Print,
        menu="file",
        group_start=True,
    ),
    ActionSpec(
        "print_face_sheet",
        QT_TRANSLATE_NOOP("Actions", "Print &face sheet…"),
        QT_TRANSLATE_NOOP("Actions", "Print face sheet"),
        QT_TRANSLATE_NOOP("Actions", "Preview, print or save the client's face sheet"),
        None,
        menu="file",
    ),
    ActionSpec(
        "print_record",
        QT_TRANSLATE_NOOP("Actions", "Print full &record…"),
        QT_TRANSLATE_NOOP("Actions", "Print full record"),
        QT_TRANSLATE_NOOP("Actions", "Preview, print or save the client's complete record"),
        None,
        menu="file",
    ),
    ActionSpec(
        "print_measures",
        QT_TRANSLATE_NOOP("Actions", "Print &measures history…"),
        QT_TRANSLATE_NOOP("Actions", "Print measures history"),
        QT_TRANSLATE_NOOP(
            "Actions",
            "Preview, print or save the client's PHQ-9 and GAD-7 scores with their trend charts",
        ),
        None,
        menu="file",
    ),
    ActionSpec(
        "print_treatment_plan",
        QT_TRANSLATE_NOOP("Actions", "Print &treatment plan…"),
        QT_TRANSLATE_NOOP("Actions", "Print treatment plan"),
        QT_TRANSLATE_NOOP(
            "Actions",
            "Preview, print or save the client's current treatment plan with a line for the "
            "client's signature",
        ),
        None,
        menu="file",
    ),
    ActionSpec(
        "print_safety_plan",
        QT_TRANSLATE_NOOP("Actions", "Print safet&y plan (client copy)…"),
        QT_TRANSLATE_NOOP("Actions", "Print safety plan (client copy)"),
        QT_TRANSLATE_NOOP(
            "Actions",
            "Preview, print or save the client's copy of their safety plan (the newest version)",
        ),
        None,
        menu="file",
    ),
    ActionSpec(
        "print_wallet_card",
        QT_TRANSLATE_NOOP("Actions", "Print &wallet card…"),
        QT_TRANSLATE_NOOP("Actions", "Print safety plan wallet card"),
        QT_TRANSLATE_NOOP(
            "Actions",
            "Preview, print or save the wallet-sized card of the client's safety plan: warning "
            "signs, coping, people to call and crisis lines",
        ),
        None,
        menu="file",
    ),
    ActionSpec(
        "print_disclosures",
        QT_TRANSLATE_NOOP("Actions", "Print accounting of &disclosures…"),
        QT_TRANSLATE_NOOP("Actions", "Print accounting of disclosures"),
        QT_TRANSLATE_NOOP(
            "Actions", "Preview, print or save what was shared about the client, with whom and when"
        ),
        None,
        menu="file",
    ),
    ActionSpec(
        "print_today",
        QT_TRANSLATE_NOOP("Actions", "Print to&day's session summaries…"),
        QT_TRANSLATE_NOOP("Actions", "Print today's session summaries"),
        QT_TRANSLATE_NOOP("Actions", "Every session note dated today, one summary after another"),
        None,
        menu="file",
    ),
    ActionSpec(
        "print_caseload",
        QT_TRANSLATE_NOOP("Actions", "Print caseload l&ist…"),
        QT_TRANSLATE_NOOP("Actions", "Print caseload list"),
        QT_TRANSLATE_NOOP("Actions", "Preview, print or save the list of current clients"),
        None,
        menu="file",
    ),
    ActionSpec(
        "quit",
        QT_TRANSLATE_NOOP("Actions", "&Quit"),
        QT_TRANSLATE_NOOP("Actions", "Quit"),
        QT_TRANSLATE_NOOP("Actions", "Lock the vault and quit"),
        StandardKey.Quit,
        menu="file",
    ),
    *(
        ActionSpec(
            f"print_{kind.replace('-', '_')}",
            text,
            name,
            tip,
            None,
            menu="documents",
            group_start=start,
        )
        for kind, text, name, tip, start in (
            (
                "next-steps",
                QT_TRANSLATE_NOOP("Actions", "&Next-steps sheet…"),
                QT_TRANSLATE_NOOP("Actions", "Print next-steps sheet"),
                QT_TRANSLATE_NOOP(
                    "Actions",
                    "For the client after a session: the next appointment, what to try before "
                    "then, and the crisis lines, in the client's language",
                ),
                False,
            ),
            (
                "resources",
                QT_TRANSLATE_NOOP("Actions", "&Resource list…"),
                QT_TRANSLATE_NOOP("Actions", "Print resource list"),
                QT_TRANSLATE_NOOP(
                    "Actions",
                    "For the client: the community resources they were referred to, with phones, "
                    "hours and languages",
                ),
                False,
            ),
            (
                "phq9-form",
                QT_TRANSLATE_NOOP("Actions", "&PHQ-9 form…"),
                QT_TRANSLATE_NOOP("Actions", "Print PHQ-9 form"),
                QT_TRANSLATE_NOOP(
                    "Actions", "A blank PHQ-9 for the client to fill in, in the client's language"
                ),
                True,
            ),
            (
                "gad7-form",
                QT_TRANSLATE_NOOP("Actions", "&GAD-7 form…"),
                QT_TRANSLATE_NOOP("Actions", "Print GAD-7 form"),
                QT_TRANSLATE_NOOP(
                    "Actions", "A blank GAD-7 for the client to fill in, in the client's language"
                ),
                False,
            ),
            (
                "treatment-consent-form",
                QT_TRANSLATE_NOOP("Actions", "&Consent to treatment form…"),
                QT_TRANSLATE_NOOP("Actions", "Print consent to treatment form"),
                QT_TRANSLATE_NOOP(
                    "Actions",
                    "Informed consent to treatment, to sign by hand, in the client's language",
                ),
                True,
            ),
            (
                "telehealth-consent-form",
                QT_TRANSLATE_NOOP("Actions", "&Telehealth consent form…"),
                QT_TRANSLATE_NOOP("Actions", "Print telehealth consent form"),
                QT_TRANSLATE_NOOP(
                    "Actions",
                    "Consent to telehealth sessions, to sign by hand, in the client's language",
                ),
                False,
            ),
            (
                "release-form",
                QT_TRANSLATE_NOOP("Actions", "R&elease of information form…"),
                QT_TRANSLATE_NOOP("Actions", "Print release of information form"),
                QT_TRANSLATE_NOOP(
                    "Actions", "An authorization to disclose, to fill in and sign by hand"
                ),
                False,
            ),
        )
    ),
    ActionSpec(
        "about",
        QT_TRANSLATE_NOOP("Actions", "&About MHSW Desktop"),
        QT_TRANSLATE_NOOP("Actions", "About"),
        QT_TRANSLATE_NOOP("Actions", "Version and licence"),
        None,
        menu="help",
    ),
)
#: (menu id, title) of the menu bar's menus; the titles are source text: see :func:`words`
MENUS: tuple[tuple[str, str], ...] = (
    ("file", QT_TRANSLATE_NOOP("Actions", "&File")),
    ("view", QT_TRANSLATE_NOOP("Actions", "&View")),
    ("clients", QT_TRANSLATE_NOOP("Actions", "&Clients")),
    ("notes", QT_TRANSLATE_NOOP("Actions", "&Notes")),
    # Alt+D is the safety plan's "Client signed" (and the discharge date's): U here
    ("documents", QT_TRANSLATE_NOOP("Actions", "Doc&uments")),
    ("help", QT_TRANSLATE_NOOP("Actions", "&Help")),
)


#: the client documents of the Documents menu: (action id, report kind)
CLIENT_DOCUMENT_ACTIONS: tuple[tuple[str, str], ...] = tuple(
    (spec.id, spec.id.removeprefix("print_").replace("_", "-"))
    for spec in ACTIONS
    if spec.menu == "documents"
)


#: the report preview's own actions (print, save, page through, zoom); the dialog builds them
PREVIEW_ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "print_report",
        QT_TRANSLATE_NOOP("Actions", "&Print…"),
        QT_TRANSLATE_NOOP("Actions", "Print"),
        QT_TRANSLATE_NOOP("Actions", "Print the report on paper"),
        StandardKey.Print,
        menu="preview",
    ),
    ActionSpec(
        "save_pdf",
        QT_TRANSLATE_NOOP("Actions", "&Save as PDF…"),
        QT_TRANSLATE_NOOP("Actions", "Save as PDF"),
        QT_TRANSLATE_NOOP("Actions", "Save a copy of the report as a PDF file"),
        StandardKey.Save,
        menu="preview",
    ),
    ActionSpec(
        "previous_page",
        QT_TRANSLATE_NOOP("Actions", "P&revious page"),
        QT_TRANSLATE_NOOP("Actions", "Previous page"),
        QT_TRANSLATE_NOOP("Actions", "Show the page before"),
        StandardKey.MoveToPreviousPage,
        menu="preview",
    ),
    ActionSpec(
        "next_page",
        QT_TRANSLATE_NOOP("Actions", "Ne&xt page"),
        QT_TRANSLATE_NOOP("Actions", "Next page"),
        QT_TRANSLATE_NOOP("Actions", "Show the page after"),
        StandardKey.MoveToNextPage,
        menu="preview",
    ),
    ActionSpec(
        "zoom_in",
        QT_TRANSLATE_NOOP("Actions", "Zoom &in"),
        QT_TRANSLATE_NOOP("Actions", "Zoom in"),
        QT_TRANSLATE_NOOP("Actions", "Show the page larger"),
        "Ctrl+=",
        menu="preview",
    ),
    ActionSpec(
        "zoom_out",
        QT_TRANSLATE_NOOP("Actions", "Zoom &out"),
        QT_TRANSLATE_NOOP("Actions", "Zoom out"),
        QT_TRANSLATE_NOOP("Actions", "Show the page smaller"),
        "Ctrl+-",
        menu="preview",
    ),
    ActionSpec(
        "fit_width",
        QT_TRANSLATE_NOOP("Actions", "&Fit width"),
        QT_TRANSLATE_NOOP("Actions", "Fit the page to the width"),
        QT_TRANSLATE_NOOP("Actions", "Show the page as wide as the window"),
        "Ctrl+0",
        menu="preview",
    ),
)

#: the treatment-plan pane's own actions (its buttons); the pane builds them
PLAN_ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "start_plan",
        QT_TRANSLATE_NOOP("Actions", "&Start a plan"),
        QT_TRANSLATE_NOOP("Actions", "Start a treatment plan"),
        QT_TRANSLATE_NOOP("Actions", "Start this client's treatment plan: version 1, a draft"),
        None,
        menu="plan",
    ),
    ActionSpec(
        "plan_details",
        QT_TRANSLATE_NOOP("Actions", "Plan detail&s…"),
        QT_TRANSLATE_NOOP("Actions", "Plan details"),
        QT_TRANSLATE_NOOP("Actions", "The plan date, the review date and the summary of the draft"),
        None,
        menu="plan",
    ),
    ActionSpec(
        "add_problem",
        QT_TRANSLATE_NOOP("Actions", "Add pro&blem…"),
        QT_TRANSLATE_NOOP("Actions", "Add problem"),
        QT_TRANSLATE_NOOP("Actions", "Add a problem (need) the plan addresses"),
        None,
        menu="plan",
    ),
    ActionSpec(
        "add_goal",
        QT_TRANSLATE_NOOP("Actions", "Add &goal…"),
        QT_TRANSLATE_NOOP("Actions", "Add goal"),
        QT_TRANSLATE_NOOP("Actions", "Add a measurable goal to the selected problem"),
        None,
        menu="plan",
    ),
    ActionSpec(
        "add_objective",
        QT_TRANSLATE_NOOP("Actions", "Add ob&jective…"),
        QT_TRANSLATE_NOOP("Actions", "Add objective"),
        QT_TRANSLATE_NOOP("Actions", "Add an objective with a target date to the selected goal"),
        None,
        menu="plan",
    ),
    ActionSpec(
        "add_intervention",
        QT_TRANSLATE_NOOP("Actions", "Add inter&vention…"),
        QT_TRANSLATE_NOOP("Actions", "Add intervention"),
        QT_TRANSLATE_NOOP(
            "Actions", "Add an intervention, and who is responsible, to the selected goal"
        ),
        None,
        menu="plan",
    ),
    ActionSpec(
        "edit_plan_item",
        QT_TRANSLATE_NOOP("Actions", "E&dit…"),
        QT_TRANSLATE_NOOP("Actions", "Edit the selected plan item"),
        QT_TRANSLATE_NOOP(
            "Actions", "Change the selected problem, goal, objective or intervention"
        ),
        None,
        menu="plan",
    ),
    ActionSpec(
        "remove_plan_item",
        QT_TRANSLATE_NOOP("Actions", "Remove…"),
        QT_TRANSLATE_NOOP("Actions", "Remove the selected plan item"),
        QT_TRANSLATE_NOOP(
            "Actions", "Remove the selected item of the draft, with everything under it"
        ),
        StandardKey.Delete,
        menu="plan",
    ),
    ActionSpec(
        "sign_plan",
        QT_TRANSLATE_NOOP("Actions", "Sign…"),
        QT_TRANSLATE_NOOP("Actions", "Sign the treatment plan"),
        QT_TRANSLATE_NOOP(
            "Actions", "Sign this version (your passphrase again): it is frozen from then on"
        ),
        None,
        menu="plan",
    ),
    ActionSpec(
        "client_signed",
        QT_TRANSLATE_NOOP("Actions", "Client signature…"),
        QT_TRANSLATE_NOOP("Actions", "Record the client's signature date"),
        QT_TRANSLATE_NOOP("Actions", "Record the day the client signed this version"),
        None,
        menu="plan",
    ),
    ActionSpec(
        "start_review",
        QT_TRANSLATE_NOOP("Actions", "Start revie&w"),
        QT_TRANSLATE_NOOP("Actions", "Start a review"),
        QT_TRANSLATE_NOOP("Actions", "A new draft version copied from the last signed one"),
        None,
        menu="plan",
    ),
    ActionSpec(
        "discard_review",
        QT_TRANSLATE_NOOP("Actions", "Discard review…"),
        QT_TRANSLATE_NOOP("Actions", "Discard this review"),
        QT_TRANSLATE_NOOP(
            "Actions", "Drop this review's draft; the signed versions stay as they are"
        ),
        None,
        menu="plan",
    ),
    ActionSpec(
        "link_note",
        QT_TRANSLATE_NOOP("Actions", "Lin&k a note…"),
        QT_TRANSLATE_NOOP("Actions", "Link a session note to the selected goal"),
        QT_TRANSLATE_NOOP("Actions", "Say that a session note worked on the selected goal"),
        None,
        menu="plan",
    ),
    ActionSpec(
        "compare_versions",
        QT_TRANSLATE_NOOP("Actions", "Compare wit&h previous"),
        QT_TRANSLATE_NOOP("Actions", "Compare with the previous version"),
        QT_TRANSLATE_NOOP(
            "Actions",
            "What was added, removed or changed since the version before the selected one",
        ),
        None,
        menu="plan",
    ),
)

#: the client view's Safety plan tab's own actions (its buttons); the pane builds them
SAFETY_PLAN_ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "start_safety_plan",
        QT_TRANSLATE_NOOP("Actions", "&Start safety plan"),
        QT_TRANSLATE_NOOP("Actions", "Start a safety plan"),
        QT_TRANSLATE_NOOP(
            "Actions",
            "Start this client's safety plan: version 1, a draft with you and the crisis lines "
            "as contacts",
        ),
        None,
        menu="safety_plan",
    ),
    ActionSpec(
        "save_safety_plan",
        QT_TRANSLATE_NOOP("Actions", "&Save"),
        QT_TRANSLATE_NOOP("Actions", "Save the safety plan draft"),
        QT_TRANSLATE_NOOP("Actions", "Save every step of the draft as it is now"),
        StandardKey.Save,
        menu="safety_plan",
    ),
    ActionSpec(
        "sign_safety_plan",
        QT_TRANSLATE_NOOP("Actions", "Si&gn…"),
        QT_TRANSLATE_NOOP("Actions", "Sign the safety plan"),
        QT_TRANSLATE_NOOP(
            "Actions", "Sign this version (your passphrase again): it is frozen from then on"
        ),
        None,
        menu="safety_plan",
    ),
    ActionSpec(
        "safety_plan_client_signed",
        QT_TRANSLATE_NOOP("Actions", "Client signe&d…"),
        QT_TRANSLATE_NOOP("Actions", "Record the day the client signed"),
        QT_TRANSLATE_NOOP("Actions", "Record the day the client signed this version"),
        None,
        menu="safety_plan",
    ),
    ActionSpec(
        "new_safety_plan_version",
        QT_TRANSLATE_NOOP("Actions", "Ne&w version"),
        QT_TRANSLATE_NOOP("Actions", "Start a new version of the safety plan"),
        QT_TRANSLATE_NOOP(
            "Actions", "A new draft copied from the newest signed version, dated today"
        ),
        None,
        menu="safety_plan",
    ),
    ActionSpec(
        "discard_safety_plan_draft",
        QT_TRANSLATE_NOOP("Actions", "Discard draft…"),
        QT_TRANSLATE_NOOP("Actions", "Discard this draft"),
        QT_TRANSLATE_NOOP(
            "Actions", "Drop this new version's draft; the signed versions stay as they are"
        ),
        None,
        menu="safety_plan",
    ),
    ActionSpec(
        "compare_safety_plans",
        QT_TRANSLATE_NOOP("Actions", "Compare with previous"),
        QT_TRANSLATE_NOOP("Actions", "Compare with the previous version"),
        QT_TRANSLATE_NOOP(
            "Actions", "What was added, removed or changed since the version before the one shown"
        ),
        None,
        menu="safety_plan",
    ),
)

#: the client view's Referrals tab's own actions (its buttons); the pane builds them
REFERRAL_ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "refer",
        QT_TRANSLATE_NOOP("Actions", "Re&fer…"),
        QT_TRANSLATE_NOOP("Actions", "Refer the client to a community resource"),
        QT_TRANSLATE_NOOP(
            "Actions",
            "Refer this client to a resource in the directory; a follow-up date adds a task",
        ),
        None,
        menu="referrals",
    ),
    ActionSpec(
        "edit_referral",
        QT_TRANSLATE_NOOP("Actions", "Chan&ge…"),
        QT_TRANSLATE_NOOP("Actions", "Change the selected referral"),
        QT_TRANSLATE_NOOP(
            "Actions", "Record what became of the selected referral, or move its follow-up date"
        ),
        None,
        menu="referrals",
    ),
    ActionSpec(
        "remove_referral",
        QT_TRANSLATE_NOOP("Actions", "Remo&ve…"),
        QT_TRANSLATE_NOOP("Actions", "Remove the selected referral"),
        QT_TRANSLATE_NOOP(
            "Actions", "Remove a referral entered by mistake (its open follow-up task goes with it)"
        ),
        None,
        menu="referrals",
    ),
    ActionSpec(
        "open_resources",
        QT_TRANSLATE_NOOP("Actions", "Director&y…"),
        QT_TRANSLATE_NOOP("Actions", "Open the community resource directory"),
        QT_TRANSLATE_NOOP("Actions", "Add, edit, import or export community resources"),
        None,
        menu="referrals",
    ),
)

#: further keys for an action: the platform's own zoom keys (Ctrl++ on most keyboards)
EXTRA_SHORTCUTS: dict[str, tuple[QKeySequence.StandardKey, ...]] = {
    "zoom_in": (StandardKey.ZoomIn,),
    "zoom_out": (StandardKey.ZoomOut,),
}


def words(text: str) -> str:
    """An action's or a menu's source text in the interface's language."""
    return QCoreApplication.translate(CONTEXT, text)


def make_action(spec: ActionSpec, parent: QWidget) -> QAction:
    """One QAction for ``spec``, owned by ``parent``, worded in the interface's language
    (its tool tip is the accessible name)."""
    action = QAction(words(spec.text), parent)
    action.setObjectName(f"action_{spec.id}")
    action.setStatusTip(words(spec.status_tip))
    action.setToolTip(words(spec.accessible_name))
    keys: list[QKeySequence] = []
    if isinstance(spec.shortcut, QKeySequence.StandardKey):
        keys += QKeySequence.keyBindings(spec.shortcut)
    elif spec.shortcut is not None:
        keys.append(QKeySequence(spec.shortcut))
    for extra in EXTRA_SHORTCUTS.get(spec.id, ()):
        keys += [k for k in QKeySequence.keyBindings(extra) if k not in keys]
    if keys:
        action.setShortcuts(keys)
    if spec.id == "quit":
        action.setMenuRole(QAction.MenuRole.QuitRole)
    elif spec.id == "about":
        action.setMenuRole(QAction.MenuRole.AboutRole)
    return action


def build_actions(parent: QWidget, specs: tuple[ActionSpec, ...] = ACTIONS) -> dict[str, QAction]:
    """Make one QAction per spec, owned by ``parent``, keyed by id."""
    return {spec.id: make_action(spec, parent) for spec in specs}


def spec_of(action_id: str) -> ActionSpec:
    return next(
        s
        for s in (
            *ACTIONS,
            *PREVIEW_ACTIONS,
            *PLAN_ACTIONS,
            *SAFETY_PLAN_ACTIONS,
            *REFERRAL_ACTIONS,
        )
        if s.id == action_id
    )


def accessible_name(action_id: str) -> str:
    """The action's accessible name in the interface's language."""
    return words(spec_of(action_id).accessible_name)
