"""ReportLab report builders, one per report, fed plain dataclasses (no Qt). Empty until #7."""
