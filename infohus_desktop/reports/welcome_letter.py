"""The *velkomstbrev*: the sheet a coordinator prints for a new member (or one whose
passphrase was reset) and hands over in person.

It carries the first passphrase, so it is built in memory and only printed or saved where the
coordinator chooses (the preview dialog audits both). It also carries the vault's root
fingerprint: the member compares it with what their workstation shows the first time it opens
the vault, which is how they know the vault is the district's and not a copy made to look like
it (SECURITY.md §3).
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.platypus import Flowable, Spacer

from infohus_desktop.reports.base import (
    DocumentRenderer,
    PrintStamp,
    escape_text,
    label_value_table,
    markup_para,
    para,
)


@dataclass(frozen=True, slots=True)
class WelcomeLetter:
    name: str
    login: str
    organisation: str
    role: str  # in the letter's language
    passphrase: str
    root_fingerprint: str
    infohus: str
    #: A reset rather than a first enrolment (other words at the top).
    reset: bool = False


class WelcomeLetterRenderer(DocumentRenderer):
    def __init__(self, letter: WelcomeLetter, stamp: PrintStamp) -> None:
        title = (
            stamp.t("Ny adgangsfrase til Infohus Desktop", "New passphrase for Infohus Desktop")
            if letter.reset
            else stamp.t("Velkommen til Infohus Desktop", "Welcome to Infohus Desktop")
        )
        super().__init__(
            title=title,
            stamp=stamp,
            header_left=f"Infohus {letter.infohus}",
            subtitle=letter.name,
        )
        self.letter = letter

    def story(self) -> list[Flowable]:
        s, letter = self.styles, self.letter
        intro = (
            self.t(
                "Din adgangsfrase er nulstillet. Du har fået nye nøgler; de adgangskredse, du er "
                "med i, deles med dig igen, når en anden i kredsen låser op.",
                "Your passphrase was reset. You have new keys; the access groups you are in are "
                "shared with you again when another member of each group unlocks.",
            )
            if letter.reset
            else self.t(
                "Du er oprettet som bruger af Infohusets fælles sagsboks. Her er det, du skal "
                "bruge første gang.",
                "You have been enrolled as a user of the Infohus's shared vault. Here is what "
                "you need the first time.",
            )
        )
        return [
            para(intro, s.body),
            Spacer(1, 6),
            label_value_table(
                [
                    (self.t("Navn", "Name"), letter.name),
                    (self.t("Brugernavn", "Login"), letter.login),
                    (self.t("Organisation", "Organisation"), letter.organisation),
                    (self.t("Rolle", "Role"), letter.role),
                ]
            ),
            para(self.t("Første adgangsfrase", "First passphrase"), s.h2),
            markup_para(f"<font size=15>{escape_text(letter.passphrase)}</font>", s.body),
            para(
                self.t(
                    "Skriv den præcis som her, med mellemrum. Du skal vælge din egen "
                    "adgangsfrase, første gang du låser op; denne virker derefter ikke mere.",
                    "Type it exactly as here, with the spaces. You choose your own passphrase "
                    "the first time you unlock; this one stops working then.",
                ),
                s.body,
            ),
            para(self.t("Boksens fingeraftryk", "The vault's fingerprint"), s.h2),
            markup_para(f"<font size=12>{escape_text(letter.root_fingerprint)}</font>", s.body),
            para(
                self.t(
                    "Første gang din computer åbner boksen, viser den et fingeraftryk. Sammenlign "
                    "det tegn for tegn med dette. Er de forskellige, så stop og ring til din "
                    "koordinator: så er det ikke Infohusets boks.",
                    "The first time your computer opens the vault, it shows a fingerprint. "
                    "Compare it character by character with this one. If they differ, stop and "
                    "call your coordinator: then it is not the Infohus's vault.",
                ),
                s.body,
            ),
            Spacer(1, 8),
            para(
                self.t(
                    "Opbevar brevet som en nøgle, og makulér det, når du har valgt din egen "
                    "adgangsfrase. Ingen fra Infohuset vil nogensinde bede dig om den.",
                    "Keep this letter like a key, and shred it once you have chosen your own "
                    "passphrase. Nobody from the Infohus will ever ask you for it.",
                ),
                s.warning,
            ),
        ]


def render_welcome_letter(letter: WelcomeLetter, stamp: PrintStamp) -> bytes:
    return WelcomeLetterRenderer(letter, stamp).render()
