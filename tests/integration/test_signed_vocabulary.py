"""The vocabulary a coordinator sets (case categories, assessment indicators, referral form)
holds against someone who can write the database: each value is signed by its coordinator,
and a changed, unsigned or wrongly signed value is refused by name (SECURITY.md §8). A vault
of an earlier format reads its unsigned values until ``vault upgrade`` signs them; the root
coordinator's run raises the format to 4, after which an unsigned value is tampering too."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Connection, delete, select, update

from infohus_desktop.crypto.encoding import b64, canonical_json
from infohus_desktop.crypto.signing import statement, vault_format_statement
from infohus_desktop.domain.assessment import DEFAULT_INDICATORS
from infohus_desktop.domain.cases import DEFAULT_CATEGORIES
from infohus_desktop.domain.errors import InvalidInput, TamperedData
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.referrals import DEFAULT_FORM
from infohus_desktop.local_state import LocalState
from infohus_desktop.services.accounts.format_step import pending_step, take_format_step
from infohus_desktop.services.accounts.vault_upgrade import upgrade_vault
from infohus_desktop.services.backups.restore import restore_file
from infohus_desktop.services.cases.settings import categories_to_json
from infohus_desktop.services.front_door import MemberServices, Vault
from infohus_desktop.services.retention.approval import Approval
from infohus_desktop.vault.engine import url_for_path
from infohus_desktop.vault.schema import SettingRow, VaultInfo
from tests.integration.conftest import District
from tests.integration.sql_tamper import tamper
from tests.integration.test_case_settings import OWN_INDICATORS
from tests.integration.test_cli import Cli
from tests.integration.test_retention import RULES

CATEGORIES = {
    "hoejreekstremisme": ["Højreekstremisme", "Right-wing extremism"],
    "venstreekstremisme": ["Venstreekstremisme", "Left-wing extremism"],
    "online": ["Online radikalisering", "Online radicalisation"],
}


@pytest.fixture
def lars(district: District) -> MemberServices:
    return district.coordinator


def _stored_text(district: District, key: str) -> str:
    """A setting's row as the database holds it."""
    found: list[str] = []
    tamper(
        district.url,
        lambda c: found.append(c.scalar(select(SettingRow.value).where(SettingRow.key == key))),
    )
    return found[0]


def _stored(district: District, key: str) -> object:
    return json.loads(_stored_text(district, key))


def _store(district: District, key: str, value: object) -> None:
    text = json.dumps(value, ensure_ascii=False)

    def change(c: Connection) -> None:
        if c.execute(update(SettingRow).where(SettingRow.key == key).values(value=text)).rowcount:
            return
        c.execute(SettingRow.__table__.insert().values(key=key, value=text))

    tamper(district.url, change)


def _swap_labels(value: object) -> object:
    """The labels of the right-wing and left-wing codes swapped, in either form: the map a
    coordinator writes (and an earlier version stored), or the signed list."""
    if isinstance(value, dict):
        swapped = dict(value)
        swapped["hoejreekstremisme"], swapped["venstreekstremisme"] = (
            value["venstreekstremisme"],
            value["hoejreekstremisme"],
        )
        return swapped
    assert isinstance(value, list)
    labels = {code: [da, en] for code, da, en in value}
    right, left = labels["hoejreekstremisme"], labels["venstreekstremisme"]
    labels["hoejreekstremisme"], labels["venstreekstremisme"] = left, right
    return [[code, *labels[code]] for code, _da, _en in value]


def _sign_swapped_categories(district: District, signer: MemberServices, value: object) -> None:
    """Categories written by SQL with a valid signature of ``signer``'s own key (who has
    it: the member, or malware on their workstation while unlocked)."""
    me = str(signer.member.id)
    signature = signer.keyring.user_keys.sign(
        statement("case-categories", signer.vault.vault_id, value=value, signer=me)
    )
    _store(district, "case.categories", {"value": value, "signer": me, "signature": b64(signature)})


def relabel_consent(district: District) -> None:
    """The signed referral form's consent field renamed by SQL, its signature kept."""
    form = _stored(district, "referral.form")
    assert isinstance(form, dict)
    for field in form["value"]:
        if field["key"] == "person_consent":
            field["label_da"] = "Personen afslår henvisningen"
    _store(district, "referral.form", form)


def _refused(read: Callable[[], object], words: str) -> None:
    with pytest.raises(TamperedData) as caught:
        read()
    assert words in caught.value.message("da")
    assert "ændret uden om programmet" in caught.value.message("da")


# -- a vault of this version ----------------------------------------------------------------


def test_two_category_labels_swapped_by_sql_are_refused_at_once(
    district: District, lars: MemberServices
) -> None:
    lars.case_settings.set_categories(CATEGORIES)
    stored = _stored(district, "case.categories")
    assert isinstance(stored, dict) and set(stored) == {"value", "signer", "signature"}
    # The signature kept, the labels swapped: every right-wing case would read as left-wing.
    _store(district, "case.categories", {**stored, "value": _swap_labels(stored["value"])})
    # The session that verified the list before reads the new row, not its memory.
    _refused(lars.case_settings.categories, "Sagskategorierne")
    _refused(district.unlock("lars").cases.categories, "Sagskategorierne")
    # The coordinator's editor starts from the shipped list and says why.
    editable = lars.case_settings.for_editing()
    assert editable.categories_tampered and editable.categories == DEFAULT_CATEGORIES
    assert not editable.indicators_tampered
    # Saving sets them again, signed.
    lars.case_settings.set_categories(CATEGORIES)
    assert district.unlock("lars").case_settings.categories()["online"][0] == (
        "Online radikalisering"
    )


def test_an_unsigned_list_in_a_vault_of_format_4_is_refused(
    district: District, lars: MemberServices
) -> None:
    _store(district, "case.categories", _swap_labels(CATEGORIES))  # the form before signing
    _refused(district.unlock("lars").case_settings.categories, "Sagskategorierne")


def test_a_list_a_plain_member_signed_is_refused(district: District, lars: MemberServices) -> None:
    """Mette holds a signing key, but no coordinator's certificate."""
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    _sign_swapped_categories(district, mette, _swap_labels(CATEGORIES))
    _refused(district.unlock("lars").case_settings.categories, "Sagskategorierne")


def test_a_signed_list_moved_to_another_setting_is_refused(
    district: District, lars: MemberServices
) -> None:
    """The statement names its setting: the retention rules' signature signs no categories."""
    lars.case_settings.set_categories(CATEGORIES)
    _store(district, "case.indicators", _stored(district, "case.categories"))
    _refused(district.unlock("lars").case_settings.indicators, "indikatorer")


def test_indicator_and_referral_form_labels_changed_by_sql_are_refused(
    district: District, lars: MemberServices
) -> None:
    lars.case_settings.set_indicators(OWN_INDICATORS[:1])  # a serious one
    lars.referrals.settings.rename("person_consent", "Borgerens samtykke", "Consent")
    indicators = _stored(district, "case.indicators")
    assert isinstance(indicators, dict)
    indicators["value"][0]["serious"] = False
    _store(district, "case.indicators", indicators)
    relabel_consent(district)

    fresh = district.unlock("lars")
    _refused(fresh.case_settings.indicators, "indikatorer")
    _refused(fresh.referrals.form, "Henvisningsformularen")
    assert fresh.referrals.settings.for_editing() == (DEFAULT_FORM, True)
    assert fresh.case_settings.for_editing().indicators == DEFAULT_INDICATORS
    fresh.referrals.settings.reset()
    assert fresh.referrals.form() == DEFAULT_FORM


def test_tampered_retention_rules_open_for_editing_as_shipped(
    district: District, lars: MemberServices, approval: Approval
) -> None:
    lars.retention.rules.set(RULES, approval)
    rules = _stored(district, "retention.rules")
    assert isinstance(rules, dict)
    rules["rules"]["closing_reasons"]["ubegrundet"] = 1
    _store(district, "retention.rules", rules)
    fresh = district.unlock("lars")
    _refused(fresh.retention.rules.get, "Slettereglerne")
    shipped, tampered = fresh.retention.rules.for_editing()
    assert tampered and not shipped.configured
    # Stored rules that do not verify are no baseline to compare with: setting any rules
    # over them needs the second person (review: it was compared with the shipped ones).
    longest = {
        **RULES,
        "closing_reasons": dict.fromkeys(RULES["closing_reasons"], 600),
        "classes": {"minimal": 600, "forlaenget": 600},
    }
    with pytest.raises(InvalidInput) as caught:
        fresh.retention.rules.set(longest)
    assert "ændret uden om programmet" in caught.value.message("da")
    fresh.retention.rules.set(RULES, approval)
    assert fresh.retention.rules.get().configured


def test_the_settings_a_database_writer_deletes_fall_back_to_the_shipped_ones(
    district: District, lars: MemberServices
) -> None:
    """Deletion is availability (SECURITY.md §1): the shipped list, as in a new vault."""
    lars.case_settings.set_categories(CATEGORIES)
    tamper(district.url, lambda c: c.execute(delete(SettingRow)))
    assert district.unlock("lars").case_settings.categories() == DEFAULT_CATEGORIES


# -- a vault of format 3 ----------------------------------------------------------------------


def _as_format_3(district: District, lars: MemberServices, unsigned: dict[str, object]) -> None:
    """The vault as an earlier version left it: format 3 (signed by the root, lars), its
    vocabulary unsigned, and this workstation's memory of format 4 forgotten."""
    signature = lars.keyring.user_keys.sign(vault_format_statement(lars.vault.vault_id, 3))

    def change(c: Connection) -> None:
        c.execute(update(VaultInfo).values(format_version=3, format_signature=signature))

    tamper(district.url, change)
    for key, value in unsigned.items():
        _store(district, key, value)
    local = LocalState()
    pin = local.pin(lars.vault.vault_id)
    assert pin is not None
    pin.format_version = 3
    local.save_pin(pin)


def test_the_root_signs_the_old_vocabulary_and_raises_the_format(
    district: District, lars: MemberServices
) -> None:
    indicators = [
        {
            "code": "fritidsjob",
            "part": "trivsel_modstandskraft",
            "group": "beskyttende faktorer",
            "label_da": "Har et fritidsjob",
            "label_en": "Has a part-time job",
        }
    ]
    _as_format_3(
        district,
        lars,
        {
            "case.categories": CATEGORIES,
            "case.indicators": indicators,
            "referral.form": "no form any version could read",
        },
    )
    old = district.unlock("lars")
    assert old.vault.format_version == 3
    # Read as an earlier version wrote them; the form no version could read is the shipped one.
    assert old.case_settings.categories()["online"] == (
        "Online radikalisering",
        "Online radicalisation",
    )
    assert [i.code for i in old.case_settings.indicators()] == ["fritidsjob"]
    assert old.referrals.form() == DEFAULT_FORM
    pending = pending_step(old)
    assert pending is not None and pending.unsigned == 3 and pending.root_login is None

    report = upgrade_vault(old)

    assert report.step is not None
    assert (report.step.signed, report.step.removed, report.step.format) == (2, 1, 4)
    assert report.step.root_login is None
    assert pending_step(old) is None
    assert old.case_settings.categories()["online"][0] == "Online radikalisering"
    new = district.unlock("lars")
    assert new.vault.format_version == 4
    assert [i.code for i in new.case_settings.indicators()] == ["fritidsjob"]
    stored = _stored(district, "case.categories")
    assert isinstance(stored, dict) and stored["signer"] == str(lars.member.id)
    # The audit log says which values were signed, by digest of what the vault now holds.
    digest = hashlib.sha256(canonical_json(stored["value"])).hexdigest()[:16]
    [upgraded] = [e.detail or "" for e in new.audit.list(action="vault.upgrade")]
    assert upgraded.startswith("format=4 signed=2 removed=1")
    assert f"case.categories=sha256:{digest}" in upgraded
    # From now on the form before signing is tampering, and the format cannot go back.
    _store(district, "case.categories", _swap_labels(CATEGORIES))
    _refused(district.unlock("lars").case_settings.categories, "Sagskategorierne")
    with pytest.raises(TamperedData, match="ældre format"):
        _as_format_3_again(district, lars)
    assert new.audit.verify().ok


def _as_format_3_again(district: District, lars: MemberServices) -> None:
    signature = lars.keyring.user_keys.sign(vault_format_statement(lars.vault.vault_id, 3))
    tamper(
        district.url,
        lambda c: c.execute(update(VaultInfo).values(format_version=3, format_signature=signature)),
    )
    district.unlock("lars")


def test_another_coordinator_signs_and_the_root_raises_the_format(
    district: District, lars: MemberServices
) -> None:
    district.enrol("dorte", "Dorte Dal", "Aarhus Kommune", Role.COORDINATOR)
    _as_format_3(district, lars, {"case.categories": CATEGORIES})
    dorte = district.unlock("dorte")
    pending = pending_step(dorte)
    assert pending is not None and (pending.unsigned, pending.root_login) == (1, "lars")

    step = take_format_step(dorte)

    assert (step.signed, step.format, step.root_login) == (1, 3, "lars")
    assert pending_step(dorte) is None  # nothing left that is hers
    assert _stored(district, "case.categories")["signer"] == str(dorte.member.id)  # type: ignore[index]
    root = district.unlock("lars")
    root_step = pending_step(root)
    assert root_step is not None and root_step.unsigned == 0
    assert take_format_step(root).format == 4
    assert district.unlock("dorte").case_settings.categories()["online"][0] == (
        "Online radikalisering"
    )


def test_a_signed_value_stays_valid_when_the_format_is_raised(
    district: District, lars: MemberServices
) -> None:
    lars.case_settings.set_categories(CATEGORIES)
    signed = _stored(district, "case.categories")
    _as_format_3(district, lars, {"case.categories": signed})
    old = district.unlock("lars")
    assert take_format_step(old).signed == 0
    assert district.unlock("lars").case_settings.categories() == {
        code: (da, en) for code, (da, en) in CATEGORIES.items()
    }


def test_the_json_of_an_envelope_is_canonical(district: District, lars: MemberServices) -> None:
    lars.case_settings.set_categories(CATEGORIES)
    text = _stored_text(district, "case.categories")
    assert text == canonical_json(json.loads(text)).decode()


def test_the_command_says_who_must_finish_the_step(
    district: District, lars: MemberServices, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``infohus vault upgrade`` by a coordinator who is not the root signs the settings and
    says, in Danish by default, that the root must run it to raise the format."""
    district.enrol("dorte", "Dorte Dal", "Aarhus Kommune", Role.COORDINATOR)
    _as_format_3(district, lars, {"case.categories": CATEGORIES})
    cli = Cli(district.url, tmp_path, capsys)
    dorte = cli.secret("dorte", district.passphrases["dorte"])
    code, out, err = cli.as_("dorte", dorte, "vault", "upgrade")
    assert (code, err) == (0, "")
    assert (
        "1 indstilling fra en tidligere version (sagskategorierne) er underskrevet med din nøgle"
        in out
    )
    assert "når rodkoordinatoren (lars) opgraderer boksen" in out
    code, out, _ = cli.as_("dorte", dorte, "vault", "upgrade", "--json")
    assert json.loads(out)["format_waits_for"] == "lars"
    code, out, _ = cli.as_(
        "lars", cli.secret("lars", district.passphrases["lars"]), "vault", "upgrade"
    )
    assert code == 0 and "Boksen er nu i format 4" in out


def test_a_backup_from_before_the_step_is_restored_on_purpose(
    district: District, lars: MemberServices, tmp_path: Path
) -> None:
    """A backup made in format 3 and put back after the step: the restore (a coordinator's
    deliberate act, audited) takes the lower format, which the workstation would otherwise
    refuse as a downgrade; the step is then offered again."""

    _as_format_3(district, lars, {"case.categories": CATEGORIES})
    old = district.unlock("lars")
    backup = tmp_path / "før.ihk"
    old.backups.create(backup)
    assert take_format_step(old).format == 4

    target = url_for_path(tmp_path / "genskabt.sqlite")
    report = restore_file(backup, target, "lars", district.passphrases["lars"])
    # Said to the coordinator (the CLI prints it), not only in the audit log.
    assert (report.format, report.format_lowered_from) == (3, 4)

    with Vault.open(target, LocalState()) as vault:
        restored = vault.unlock("lars", district.passphrases["lars"], sleep=lambda _s: None)
        assert restored.vault.format_version == 3
        assert restored.case_settings.categories()["online"][0] == "Online radikalisering"
        accepted = [e.detail for e in restored.audit.list(action="vault.restore_accepted")]
        assert any("format=3 seen_format=4" in (d or "") for d in accepted)
        assert pending_step(restored) is not None
        restored.lock()


@pytest.mark.parametrize(
    "text",
    ["[" * 200_000, "{not json", '"a string"', '{"value": 1, "signer": 2, "signature": 3}'],
    ids=["nested", "broken", "string", "wrong-types"],
)
def test_whatever_a_writer_stores_is_refused_by_name_not_a_crash(
    district: District, lars: MemberServices, text: str
) -> None:
    def change(c: Connection) -> None:
        c.execute(SettingRow.__table__.insert().values(key="case.categories", value=text))

    tamper(district.url, change)
    _refused(district.unlock("lars").case_settings.categories, "Sagskategorierne")


# -- what the tamper review found -----------------------------------------------------------


def test_a_lone_surrogate_in_a_signed_value_is_tampering_not_a_crash(
    district: District, lars: MemberServices
) -> None:
    lars.case_settings.set_categories(CATEGORIES)
    text = _stored_text(district, "case.categories")
    broken = text.replace("Right-wing extremism", "Right\\ud800", 1)
    assert broken != text
    tamper(
        district.url,
        lambda c: c.execute(
            update(SettingRow).where(SettingRow.key == "case.categories").values(value=broken)
        ),
    )
    fresh = district.unlock("lars")
    _refused(fresh.case_settings.categories, "Sagskategorierne")
    assert fresh.case_settings.for_editing().categories_tampered


def test_a_form_no_version_can_read_is_removed_by_the_step_not_a_crash(
    district: District, lars: MemberServices
) -> None:
    form = [
        {**field, "order": "1e999"} if n == 0 else field
        for n, field in enumerate(json.loads(json.dumps(_form_fields(lars))))
    ]
    _as_format_3(district, lars, {})
    text = json.dumps(form).replace('"1e999"', "1e999", 1)
    tamper(
        district.url,
        lambda c: c.execute(SettingRow.__table__.insert().values(key="referral.form", value=text)),
    )
    old = district.unlock("lars")
    assert old.referrals.form() == DEFAULT_FORM  # the shipped form, as for any unreadable one
    step = take_format_step(old)
    assert (step.signed, step.removed, step.format) == (0, 1, 4)
    assert district.unlock("lars").referrals.form() == DEFAULT_FORM


def _form_fields(lars: MemberServices) -> list[dict[str, object]]:
    from infohus_desktop.services.referrals.settings import form_json

    return form_json(lars.referrals.form())


def test_what_a_demoted_or_removed_coordinator_signed_stays_valid_and_their_key_signs_no_more(
    district: District, lars: MemberServices
) -> None:
    """The coordinator who changes them signs their settings anew (as their certificates),
    so a role change is no outage; a value signed later with the departed one's key, by
    someone who has it, is refused."""
    dorte = district.enrol("dorte", "Dorte Dal", "Aarhus Kommune", Role.COORDINATOR)
    dorte.case_settings.set_categories(CATEGORIES)
    dorte.retention.rules.set(RULES, district.approval())
    assert _stored(district, "case.categories")["signer"] == str(dorte.member.id)  # type: ignore[index]
    lars.accounts.change_role("dorte", Role.MEMBER)
    fresh = district.unlock("lars")
    assert fresh.case_settings.categories()["online"][0] == "Online radikalisering"
    assert fresh.retention.rules.get().configured
    assert _stored(district, "case.categories")["signer"] == str(lars.member.id)  # type: ignore[index]

    stored = categories_to_json({k: (a, b) for k, (a, b) in CATEGORIES.items()})
    _sign_swapped_categories(district, dorte, _swap_labels(stored))
    _refused(district.unlock("lars").case_settings.categories, "Sagskategorierne")


def test_accept_restore_does_not_lower_a_format_lowered_by_sql_alone(
    district: District, lars: MemberServices
) -> None:
    """The old format's root signature written back, with nothing else older: no restore
    to accept, and the format stays refused."""
    signature = lars.keyring.user_keys.sign(vault_format_statement(lars.vault.vault_id, 3))
    lars.lock()
    tamper(
        district.url,
        lambda c: c.execute(update(VaultInfo).values(format_version=3, format_signature=signature)),
    )
    with pytest.raises(TamperedData, match="ældre format"):
        district.open().unlock(
            "lars", district.passphrases["lars"], sleep=lambda _s: None, accept_restore=True
        )
    assert LocalState().pin(lars.vault.vault_id).format_version == 4  # type: ignore[union-attr]


def test_changed_settings_are_named_on_the_start_page_and_cases_still_read(
    district: District,
    lars: MemberServices,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The user trial: tampered rules took the whole start page down, and tampered
    categories stopped every case from opening and every `case list`."""
    from tests.integration.case_fixtures import new_case

    number = lars.cases.open_case(new_case("Kode Kodesen")).number
    lars.case_settings.set_categories(CATEGORIES)
    lars.retention.rules.set(RULES, district.approval())
    for key in ("case.categories", "retention.rules"):
        stored = _stored(district, key)
        assert isinstance(stored, dict)
        stored["signature"] = b64(bytes(64))
        _store(district, key, stored)
    fresh = district.unlock("lars")
    overview = fresh.overview.build()
    problems = [da for da, _en in overview.settings_problems]
    assert [p.split(" ")[0] for p in problems] == ["Sagskategorierne", "Slettereglerne"]
    assert overview.due_now is None
    assert fresh.cases.show(number).summary.category == "militant_islamisme"
    assert fresh.case_settings.for_display()[0] == {}

    cli = Cli(district.url, tmp_path, capsys)
    code, out, err = cli.as_(
        "lars", cli.secret("lars", district.passphrases["lars"]), "case", "list"
    )
    assert code == 0 and number in out and "militant_islamisme" in out
    assert "Sagskategorierne er ændret uden om programmet" in err


@pytest.mark.parametrize("db_engine", ["sqlite"], indirect=True)
def test_an_old_copy_put_back_asks_to_accept_the_restore_not_older_format(
    district: District, lars: MemberServices
) -> None:
    """A copy of the file from before the step, put back by hand: the unlock asks whether
    to accept a restore (the window's question), and accepting takes the lower format."""
    import shutil

    from infohus_desktop.services.accounts.rollback import VaultRolledBack
    from infohus_desktop.vault.urls import file_of_url

    _as_format_3(district, lars, {"case.categories": CATEGORIES})
    old = district.unlock("lars")
    old.lock()
    path = Path(file_of_url(district.url))
    district.close()  # the file whole, its write-ahead log folded in
    before = path.with_name("før.sqlite")
    shutil.copyfile(path, before)
    step_taker = district.unlock("lars")
    assert take_format_step(step_taker).format == 4
    step_taker.lock()
    lars.lock()
    district.close()  # every handle on the file, as when the program has quit
    shutil.copyfile(before, path)
    for side in ("-wal", "-shm"):
        path.with_name(path.name + side).unlink(missing_ok=True)
    with pytest.raises(VaultRolledBack):
        district.unlock("lars")
    accepted = district.open().unlock(
        "lars", district.passphrases["lars"], sleep=lambda _s: None, accept_restore=True
    )
    assert accepted.vault.format_version == 3
    accepted.lock()


def test_what_is_signed_is_what_was_shown_and_a_value_changed_meanwhile_is_refused(
    district: District, lars: MemberServices
) -> None:
    """The step shows the unsigned values before it signs them (a database writer may have
    relabelled them while the vault was in format 3): the coordinator reads the labels, and
    a value changed between showing and signing is refused with nothing signed."""
    from infohus_desktop.domain.errors import Conflict
    from infohus_desktop.services.accounts.format_step import REMOVED

    _as_format_3(
        district, lars, {"case.categories": CATEGORIES, "referral.form": "no form can read this"}
    )
    old = district.unlock("lars")
    pending = pending_step(old)
    assert pending is not None
    shown = {value.key: value for value in pending.values}
    assert set(shown) == {"case.categories", "referral.form"}
    assert '"Online radikalisering"' in shown["case.categories"].text
    assert shown["referral.form"].digest == REMOVED and shown["referral.form"].text == ""

    # Between the page and the click, someone with the database swaps two labels.
    _store(district, "case.categories", _swap_labels(CATEGORIES))
    with pytest.raises(Conflict, match="ændret, siden de blev vist"):
        upgrade_vault(old, shown=pending.shown())
    assert district.unlock("lars").vault.format_version == 3
    assert _stored(district, "case.categories") == _swap_labels(CATEGORIES)  # not signed
    assert not old.audit.list(action="vault.upgrade")

    # Shown again, the swapped labels are what the coordinator reads, and signs.
    again = pending_step(old)
    assert again is not None and again.shown() != pending.shown()
    report = upgrade_vault(old, shown=again.shown())
    assert report.step is not None and (report.step.signed, report.step.format) == (1, 4)


def test_the_command_shows_what_it_signs_and_signs_only_that(
    district: District, lars: MemberServices, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``vault upgrade --show`` prints the values and the flags that sign exactly them;
    ``--expect-setting`` refuses (exit 6, nothing signed) a value changed meanwhile."""
    _as_format_3(district, lars, {"case.categories": CATEGORIES})
    cli = Cli(district.url, tmp_path, capsys)
    me = cli.secret("lars", district.passphrases["lars"])
    code, out, err = cli.as_("lars", me, "vault", "upgrade", "--show")
    assert (code, err) == (0, "")
    assert '["online", "Online radikalisering", "Online radicalisation"]' in out
    command = out.strip().splitlines()[-1].split()
    assert command[:3] == ["infohus", "vault", "upgrade"]
    assert command[3] == "--expect-setting" and command[4].startswith("case.categories=sha256:")
    code, out, _ = cli.as_("lars", me, "vault", "upgrade", "--show", "--json")
    shown = json.loads(out)
    assert shown["format"] == 3 and shown["settings"][0]["digest"] == command[4].split("=")[1]
    assert ["online", "Online radikalisering", "Online radicalisation"] in (
        shown["settings"][0]["value"]
    )
    assert district.unlock("lars").vault.format_version == 3  # --show changed nothing

    _store(district, "case.categories", _swap_labels(CATEGORIES))
    code, out, err = cli.as_("lars", me, "vault", "upgrade", *command[3:])
    assert code == 6 and "ændret, siden de blev vist" in err
    assert district.unlock("lars").vault.format_version == 3
    code, out, _ = cli.as_("lars", me, "vault", "upgrade", "--show")
    again = out.strip().splitlines()[-1].split()[3:]
    assert again != command[3:]
    code, out, err = cli.as_("lars", me, "vault", "upgrade", *again)
    assert (code, err) == (0, "") and "Boksen er nu i format 4" in out
    code, out, _ = cli.as_("lars", me, "vault", "upgrade", "--show")
    assert code == 0 and out.startswith("Boksen er i format 4") and "--expect" not in out
    for bad in (["case.categories"], ["case.categories=sha256:abcd"], [again[1], again[1]]):
        flags = [part for value in bad for part in ("--expect-setting", value)]
        code, _, err = cli.as_("lars", me, "vault", "upgrade", *flags)
        assert code == 2 and ("NØGLE=sha256:" in err or "mere end én gang" in err), bad


def test_nothing_shown_signs_nothing_a_writer_adds_meanwhile(
    district: District, lars: MemberServices, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The review's case: a coordinator who is not the root, in a vault of format 3 with
    nothing unsigned, is offered the upgrade with no values to look at. A value a database
    writer adds before the click is not signed with their key (the window passes {},
    'nothing shown'; the command line --expect-no-settings)."""
    from infohus_desktop.domain.errors import Conflict

    dorte = district.enrol("dorte", "Dorte Dal", "Aarhus Kommune", Role.COORDINATOR)
    _as_format_3(district, lars, {})
    assert pending_step(dorte) is None  # nothing to show her
    _store(district, "case.categories", _swap_labels(CATEGORIES))
    with pytest.raises(Conflict):
        upgrade_vault(district.unlock("dorte"), shown={})
    cli = Cli(district.url, tmp_path, capsys)
    me = cli.secret("dorte", district.passphrases["dorte"])
    code, _, err = cli.as_("dorte", me, "vault", "upgrade", "--expect-no-settings")
    assert code == 6 and "ændret, siden de blev vist" in err
    assert _stored(district, "case.categories") == _swap_labels(CATEGORIES)  # not signed
