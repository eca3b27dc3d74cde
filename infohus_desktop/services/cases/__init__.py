"""Concern cases (bekymringssager): intake with the duplicate check, the decrypted list and
search, editing with conflicts, the workflow, records (assessments, measures, journal,
disclosures), attachments, per-vault settings and the sealed statistics codes."""
