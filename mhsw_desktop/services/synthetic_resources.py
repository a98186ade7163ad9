"""Synthetic community resources for the demo vault: invented local services (example.org
addresses, 555-01xx phones), one or more in every category."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from mhsw_desktop.domain.resources import ResourceCategory as C
from mhsw_desktop.services.resources import ResourceInput, add_resource

SYNTHETIC_RESOURCES: tuple[ResourceInput, ...] = (
    ResourceInput(
        "Riverbend Community Food Pantry",
        services="Groceries once a week; fresh produce on Fridays; baby formula on request.",
        categories=(C.FOOD,),
        eligibility="County residents; no documents needed for the first visit.",
        hours="Tue and Fri 10:00-16:00",
        phone="(406) 555-0101",
        email="pantry@riverbend.example.org",
        website="riverbend.example.org/pantry",
        address="14 Mill Street\nRiverbend",
        languages="English, Spanish",
    ),
    ResourceInput(
        "Harbor Lane Housing Help Desk",
        services="Emergency shelter placement, rental assistance applications, eviction help.",
        categories=(C.HOUSING, C.BENEFITS),
        eligibility="Adults 18+ at risk of losing housing.",
        hours="Mon-Fri 09:00-17:00",
        phone="(406) 555-0102",
        email="help@harborlane.example.org",
        website="https://harborlane.example.org",
        address="220 Harbor Lane, Suite 3\nPort Synth",
        languages="English",
    ),
    ResourceInput(
        "Valley Ride Volunteer Transport",
        services="Rides to medical, benefits and court appointments; book two days ahead.",
        categories=(C.TRANSPORT,),
        eligibility="Anyone without a car; wheelchair van on request.",
        hours="Mon-Sat 07:00-19:00",
        phone="(406) 555-0103",
        website="valleyride.example.org",
        languages="English, Español",
    ),
    ResourceInput(
        "Synthtown Crisis Line (24/7)",
        services="Telephone and text crisis support; mobile crisis team for the county.",
        categories=(C.CRISIS,),
        hours="24 hours, every day",
        phone="(406) 555-0104",
        website="crisis.synthtown.example.org",
        languages="English, Spanish, Vietnamese (interpreters for others)",
    ),
    ResourceInput(
        "Cedar Hall Peer Support Circle",
        services="Weekly peer-led groups: grief, caregivers, anxiety; family night monthly.",
        categories=(C.SUPPORT_GROUPS,),
        eligibility="Open to all; no referral needed.",
        hours="Wed 18:30-20:00",
        phone="(406) 555-0105",
        email="circle@cedarhall.example.org",
        address="Cedar Hall, 3 Church Road\nRiverbend",
        languages="English",
    ),
    ResourceInput(
        "Northfork Legal Aid Clinic",
        services="Free advice on housing, benefits appeals, protective orders and debts.",
        categories=(C.LEGAL_AID, C.BENEFITS),
        eligibility="Household income under 200% of the poverty line.",
        hours="Thu 13:00-17:00 (walk-in); otherwise by appointment",
        phone="(406) 555-0106",
        email="intake@northfork-legal.example.org",
        website="northfork-legal.example.org",
        address="88 Court Street\nNorthfork",
        languages="English, Français",
    ),
    ResourceInput(
        "Clearwater Recovery Services",
        services="Outpatient substance-use treatment, medication for opioid use disorder, "
        "family groups.",
        categories=(C.SUBSTANCE_USE_TREATMENT, C.SUPPORT_GROUPS),
        eligibility="Adults; Medicaid and sliding-scale fees.",
        hours="Mon-Fri 08:00-20:00; Sat 09:00-13:00",
        phone="(406) 555-0107",
        email="intake@clearwater.example.org",
        website="https://clearwater.example.org/intake",
        address="5 Quarry Road\nPort Synth",
        languages="English, Spanish",
    ),
    ResourceInput(
        "Maple Street Benefits Navigators",
        services="Help with SNAP, Medicaid, SSI/SSDI and energy assistance applications.",
        categories=(C.BENEFITS, C.FOOD),
        eligibility="Anyone; appointments preferred.",
        hours="Mon, Wed, Fri 09:00-15:00",
        phone="(406) 555-0108",
        email="navigators@maplestreet.example.org",
        address="41 Maple Street\nSynthtown",
        languages="English, Arabic, Spanish",
    ),
)


def add_synthetic_resources(session: Session) -> list[uuid.UUID]:
    """Add the invented directory (the caller's unit of work commits); return the ids."""
    return [add_resource(session, entry) for entry in SYNTHETIC_RESOURCES]
