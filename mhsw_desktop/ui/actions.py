"""The action registry: every menu item, shortcut and toolbar button declared once."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

StandardKey = QKeySequence.StandardKey


@dataclass(frozen=True)
class ActionSpec:
    """An action's identity and words; ``shortcut`` is a StandardKey where Qt has one."""

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
        "&New client…",
        "New client",
        "Add a client to the caseload",
        StandardKey.New,
        menu="clients",
        toolbar=True,
    ),
    ActionSpec(
        "edit_client",
        "&Edit client…",
        "Edit client",
        "Open the selected client's record",
        "Ctrl+E",
        menu="clients",
        toolbar=True,
    ),
    ActionSpec(
        "discharge_client",
        "&Discharge client…",
        "Discharge client",
        "Discharge the selected client with a date and a reason",
        None,
        menu="clients",
        toolbar=True,
    ),
    ActionSpec(
        "find",
        "&Filter clients",
        "Filter clients",
        "Move to the client filter",
        StandardKey.Find,
        menu="clients",
    ),
    ActionSpec(
        "view_today",
        "&Today",
        "Show today",
        "Tasks due, notes to finish and recovered drafts",
        "Ctrl+1",
        menu="view",
    ),
    ActionSpec(
        "view_clients",
        "&Clients",
        "Show clients",
        "The caseload",
        "Ctrl+2",
        menu="view",
    ),
    ActionSpec(
        "view_search",
        "&Search",
        "Show search",
        "Search notes and clients",
        "Ctrl+3",
        menu="view",
    ),
    ActionSpec(
        "new_note",
        "New &note…",
        "New note",
        "Write a session note for the selected client",
        "Ctrl+Shift+N",
        menu="notes",
        toolbar=True,
    ),
    ActionSpec(
        "add_task",
        "Add &task…",
        "Add task",
        "Add a follow-up task with a due date",
        "Ctrl+T",
        menu="notes",
    ),
    ActionSpec(
        "collaborators",
        "C&ollaborators…",
        "Collaborator directory",
        "Psychiatrists, doctors, counsellors and others you coordinate care with",
        None,
        menu="clients",
        group_start=True,
    ),
    ActionSpec(
        "resources",
        "Community &resources…",
        "Community resource directory",
        "Food, housing, transport, benefits, crisis, support groups, legal aid and treatment "
        "services to refer clients to; CSV import and export",
        None,
        menu="clients",
    ),
    ActionSpec(
        "audit_log",
        "&Audit log…",
        "Audit log",
        "Who opened, changed, signed, printed or exported what, and when; check the chain",
        None,
    ),
    ActionSpec(
        "export_all",
        "E&xport all data…",
        "Export all data",
        "Every record as JSON and CSV, into a folder or one encrypted archive",
        None,
        menu="file",
        group_start=True,
    ),
    ActionSpec(
        "backup_now",
        "&Back up now",
        "Back up now",
        "An encrypted backup of the whole vault into its backups folder (and the second folder)",
        "Ctrl+Shift+B",
        menu="file",
    ),
    ActionSpec(
        "restore_backup",
        "Rest&ore from backup…",
        "Restore from backup",
        "Check a backup fully, then put it in place of the vault (which is kept aside)",
        None,
        menu="file",
    ),
    ActionSpec(
        "backup_settings",
        "Bac&kup settings…",
        "Backup settings",
        "How many backups to keep, and a second folder such as a USB drive",
        None,
        menu="file",
    ),
    ActionSpec(
        "import_clients",
        "&Import clients from CSV…",
        "Import clients from CSV",
        "Add clients from another program's CSV file, with a preview of the columns",
        None,
        menu="file",
    ),
    ActionSpec(
        "practitioner_profile",
        "&Practitioner profile…",
        "Practitioner profile",
        "Your name, credentials and licence number for signing; practice details",
        None,
        menu="file",
    ),
    ActionSpec(
        "note_templates",
        "Note &templates…",
        "Note templates",
        "Add your own note template or change one you added",
        None,
        menu="notes",
    ),
    ActionSpec(
        "lock",
        "&Lock",
        "Lock the vault",
        "Lock the vault now (also happens when idle)",
        "Ctrl+L",
        menu="file",
        toolbar=True,
    ),
    ActionSpec(
        "change_passphrase",
        "&Change passphrase…",
        "Change passphrase",
        "Choose a new passphrase for this vault",
        None,
        menu="file",
    ),
    ActionSpec(
        "print_summary",
        "Print session &summary…",
        "Print session summary",
        "Preview, print or save the selected note (or the client's latest) as a session summary",
        StandardKey.Print,
        menu="file",
        group_start=True,
    ),
    ActionSpec(
        "print_face_sheet",
        "Print &face sheet…",
        "Print face sheet",
        "Preview, print or save the client's face sheet",
        None,
        menu="file",
    ),
    ActionSpec(
        "print_record",
        "Print full &record…",
        "Print full record",
        "Preview, print or save the client's complete record",
        None,
        menu="file",
    ),
    ActionSpec(
        "print_measures",
        "Print &measures history…",
        "Print measures history",
        "Preview, print or save the client's PHQ-9 and GAD-7 scores with their trend charts",
        None,
        menu="file",
    ),
    ActionSpec(
        "print_treatment_plan",
        "Print &treatment plan…",
        "Print treatment plan",
        "Preview, print or save the client's current treatment plan with a line for the "
        "client's signature",
        None,
        menu="file",
    ),
    ActionSpec(
        "print_safety_plan",
        "Print safet&y plan (client copy)…",
        "Print safety plan (client copy)",
        "Preview, print or save the client's copy of their safety plan (the newest version)",
        None,
        menu="file",
    ),
    ActionSpec(
        "print_wallet_card",
        "Print &wallet card…",
        "Print safety plan wallet card",
        "Preview, print or save the wallet-sized card of the client's safety plan: warning "
        "signs, coping, people to call and crisis lines",
        None,
        menu="file",
    ),
    ActionSpec(
        "print_disclosures",
        "Print accounting of &disclosures…",
        "Print accounting of disclosures",
        "Preview, print or save what was shared about the client, with whom and when",
        None,
        menu="file",
    ),
    ActionSpec(
        "print_today",
        "Print to&day's session summaries…",
        "Print today's session summaries",
        "Every session note dated today, one summary after another",
        None,
        menu="file",
    ),
    ActionSpec(
        "print_caseload",
        "Print caseload l&ist…",
        "Print caseload list",
        "Preview, print or save the list of current clients",
        None,
        menu="file",
    ),
    ActionSpec("quit", "&Quit", "Quit", "Lock the vault and quit", StandardKey.Quit, menu="file"),
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
                "&Next-steps sheet…",
                "Print next-steps sheet",
                "For the client after a session: the next appointment, what to try before "
                "then, and the crisis lines, in the client's language",
                False,
            ),
            (
                "resources",
                "&Resource list…",
                "Print resource list",
                "For the client: the community resources they were referred to, with phones, "
                "hours and languages",
                False,
            ),
            (
                "phq9-form",
                "&PHQ-9 form…",
                "Print PHQ-9 form",
                "A blank PHQ-9 for the client to fill in, in the client's language",
                True,
            ),
            (
                "gad7-form",
                "&GAD-7 form…",
                "Print GAD-7 form",
                "A blank GAD-7 for the client to fill in, in the client's language",
                False,
            ),
            (
                "treatment-consent-form",
                "&Consent to treatment form…",
                "Print consent to treatment form",
                "Informed consent to treatment, to sign by hand, in the client's language",
                True,
            ),
            (
                "telehealth-consent-form",
                "&Telehealth consent form…",
                "Print telehealth consent form",
                "Consent to telehealth sessions, to sign by hand, in the client's language",
                False,
            ),
            (
                "release-form",
                "R&elease of information form…",
                "Print release of information form",
                "An authorization to disclose, to fill in and sign by hand",
                False,
            ),
        )
    ),
    ActionSpec("about", "&About MHSW Desktop", "About", "Version and licence", None, menu="help"),
)
MENUS: tuple[tuple[str, str], ...] = (
    ("file", "&File"),
    ("view", "&View"),
    ("clients", "&Clients"),
    ("notes", "&Notes"),
    ("documents", "&Documents"),
    ("help", "&Help"),
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
        "print_report", "&Print…", "Print", "Print the report on paper",
        StandardKey.Print, menu="preview",
    ),
    ActionSpec(
        "save_pdf", "&Save as PDF…", "Save as PDF", "Save a copy of the report as a PDF file",
        StandardKey.Save, menu="preview",
    ),
    ActionSpec(
        "previous_page", "P&revious page", "Previous page", "Show the page before",
        StandardKey.MoveToPreviousPage, menu="preview",
    ),
    ActionSpec(
        "next_page", "Ne&xt page", "Next page", "Show the page after",
        StandardKey.MoveToNextPage, menu="preview",
    ),
    ActionSpec(
        "zoom_in", "Zoom &in", "Zoom in", "Show the page larger", "Ctrl+=", menu="preview"
    ),
    ActionSpec(
        "zoom_out", "Zoom &out", "Zoom out", "Show the page smaller", "Ctrl+-", menu="preview"
    ),
    ActionSpec(
        "fit_width", "&Fit width", "Fit the page to the width", "Show the page as wide as "
        "the window", "Ctrl+0", menu="preview",
    ),
)  # fmt: skip

#: the treatment-plan pane's own actions (its buttons); the pane builds them
PLAN_ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "start_plan", "&Start a plan", "Start a treatment plan",
        "Start this client's treatment plan: version 1, a draft", None, menu="plan",
    ),
    ActionSpec(
        "plan_details", "Plan detail&s…", "Plan details",
        "The plan date, the review date and the summary of the draft", None, menu="plan",
    ),
    ActionSpec(
        "add_problem", "Add pro&blem…", "Add problem",
        "Add a problem (need) the plan addresses", None, menu="plan",
    ),
    ActionSpec(
        "add_goal", "Add &goal…", "Add goal",
        "Add a measurable goal to the selected problem", None, menu="plan",
    ),
    ActionSpec(
        "add_objective", "Add ob&jective…", "Add objective",
        "Add an objective with a target date to the selected goal", None, menu="plan",
    ),
    ActionSpec(
        "add_intervention", "Add inter&vention…", "Add intervention",
        "Add an intervention, and who is responsible, to the selected goal", None, menu="plan",
    ),
    ActionSpec(
        "edit_plan_item", "E&dit…", "Edit the selected plan item",
        "Change the selected problem, goal, objective or intervention", None, menu="plan",
    ),
    ActionSpec(
        "remove_plan_item", "Remove…", "Remove the selected plan item",
        "Remove the selected item of the draft, with everything under it",
        StandardKey.Delete, menu="plan",
    ),
    ActionSpec(
        "sign_plan", "Sign…", "Sign the treatment plan",
        "Sign this version (your passphrase again): it is frozen from then on", None,
        menu="plan",
    ),
    ActionSpec(
        "client_signed", "Client signature…", "Record the client's signature date",
        "Record the day the client signed this version", None, menu="plan",
    ),
    ActionSpec(
        "start_review", "Start revie&w", "Start a review",
        "A new draft version copied from the last signed one", None, menu="plan",
    ),
    ActionSpec(
        "discard_review", "Discard review…", "Discard this review",
        "Drop this review's draft; the signed versions stay as they are", None, menu="plan",
    ),
    ActionSpec(
        "link_note", "Lin&k a note…", "Link a session note to the selected goal",
        "Say that a session note worked on the selected goal", None, menu="plan",
    ),
    ActionSpec(
        "compare_versions", "Compare wit&h previous", "Compare with the previous version",
        "What was added, removed or changed since the version before the selected one",
        None, menu="plan",
    ),
)  # fmt: skip

#: the client view's Safety plan tab's own actions (its buttons); the pane builds them
SAFETY_PLAN_ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "start_safety_plan", "&Start safety plan", "Start a safety plan",
        "Start this client's safety plan: version 1, a draft with you and the crisis lines "
        "as contacts", None, menu="safety_plan",
    ),
    ActionSpec(
        "save_safety_plan", "&Save", "Save the safety plan draft",
        "Save every step of the draft as it is now", StandardKey.Save, menu="safety_plan",
    ),
    ActionSpec(
        "sign_safety_plan", "Si&gn…", "Sign the safety plan",
        "Sign this version (your passphrase again): it is frozen from then on", None,
        menu="safety_plan",
    ),
    ActionSpec(
        "safety_plan_client_signed", "Client signe&d…", "Record the day the client signed",
        "Record the day the client signed this version", None, menu="safety_plan",
    ),
    ActionSpec(
        "new_safety_plan_version", "Ne&w version", "Start a new version of the safety plan",
        "A new draft copied from the newest signed version, dated today", None,
        menu="safety_plan",
    ),
    ActionSpec(
        "discard_safety_plan_draft", "Discard draft…", "Discard this draft",
        "Drop this new version's draft; the signed versions stay as they are", None,
        menu="safety_plan",
    ),
    ActionSpec(
        "compare_safety_plans", "Compare with previous", "Compare with the previous version",
        "What was added, removed or changed since the version before the one shown", None,
        menu="safety_plan",
    ),
)  # fmt: skip

#: the client view's Referrals tab's own actions (its buttons); the pane builds them
REFERRAL_ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "refer", "Re&fer…", "Refer the client to a community resource",
        "Refer this client to a resource in the directory; a follow-up date adds a task",
        None, menu="referrals",
    ),
    ActionSpec(
        "edit_referral", "Chan&ge…", "Change the selected referral",
        "Record what became of the selected referral, or move its follow-up date", None,
        menu="referrals",
    ),
    ActionSpec(
        "remove_referral", "Remo&ve…", "Remove the selected referral",
        "Remove a referral entered by mistake (its open follow-up task goes with it)", None,
        menu="referrals",
    ),
    ActionSpec(
        "open_resources", "Director&y…", "Open the community resource directory",
        "Add, edit, import or export community resources", None, menu="referrals",
    ),
)  # fmt: skip

#: further keys for an action: the platform's own zoom keys (Ctrl++ on most keyboards)
EXTRA_SHORTCUTS: dict[str, tuple[QKeySequence.StandardKey, ...]] = {
    "zoom_in": (StandardKey.ZoomIn,),
    "zoom_out": (StandardKey.ZoomOut,),
}


def make_action(spec: ActionSpec, parent: QWidget) -> QAction:
    """One QAction for ``spec``, owned by ``parent``."""
    action = QAction(spec.text, parent)
    action.setObjectName(f"action_{spec.id}")
    action.setStatusTip(spec.status_tip)
    action.setToolTip(spec.accessible_name)
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
    return spec_of(action_id).accessible_name
