"""Opening the district's server: its address (a libpq service name or a URL without a
password) and, when the server asks for one, the password — held in memory for this
connection only; nothing here writes it anywhere (vault/server_address.py)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.ui.i18n import language, tr
from infohus_desktop.ui.widgets.layout import heading, hint, ok_cancel
from infohus_desktop.vault.server_address import server_url


def _fit(dialog: QDialog, layout: QVBoxLayout, width: int) -> None:
    """Open at ``width`` and the height its wrapped texts need there (Qt's size hint
    measures them at the narrowest width and leaves a gap at the real one)."""
    dialog.setMinimumWidth(width)
    layout.activate()
    dialog.resize(width, max(layout.totalHeightForWidth(width), layout.minimumSize().height()))


class ServerDialog(QDialog):
    """Where the district's server is. ``url`` holds the answer after ``accept``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("serverDialog")
        self.setWindowTitle(tr("Distriktets server", "The district's server"))
        self.url = ""
        self.address = QLineEdit()
        self.address.setObjectName("serverAddress")
        self.address.setPlaceholderText("infohus")
        self.address.setAccessibleName(tr("Server", "Server"))
        self.error = QLabel()
        self.error.setObjectName("dialogError")
        self.error.setWordWrap(True)
        self.error.hide()
        box = self._box = QVBoxLayout(self)
        box.setSpacing(10)
        box.addWidget(heading(tr("Åbn distriktets server", "Open the district's server"), 2))
        box.addWidget(
            hint(
                tr(
                    "Skriv navnet på forbindelsen fra din servicefil (pg_service.conf), fx "
                    "infohus, eller en adresse som "
                    "postgresql+psycopg://bruger@server/infohus?sslmode=verify-full. "
                    "Distriktets it-afdeling giver dig begge dele.",
                    "Type the name of the connection in your service file "
                    "(pg_service.conf), e.g. infohus, or an address such as "
                    "postgresql+psycopg://user@server/infohus?sslmode=verify-full. "
                    "The district's IT department gives you either.",
                )
            )
        )
        form = QFormLayout()
        form.addRow(tr("&Server:", "&Server:"), self.address)
        box.addLayout(form)
        box.addWidget(
            hint(
                tr(
                    "Skriv ikke adgangskoden i adressen: programmet spørger efter den, når "
                    "serveren beder om den, og gemmer den aldrig.",
                    "Do not put the password in the address: the program asks for it when "
                    "the server wants it, and never saves it.",
                )
            )
        )
        box.addWidget(self.error)
        box.addWidget(ok_cancel(self, tr("&Åbn", "&Open")))
        _fit(self, box, 560)

    def accept(self) -> None:
        try:
            self.url = server_url(self.address.text())
        except InvalidInput as exc:
            self.error.setText(exc.message(language()))
            self.error.show()
            _fit(self, self._box, self.width())
            return
        super().accept()


class ServerPasswordDialog(QDialog):
    """The server's password, asked for when the server wants one (``wrong``: it refused the
    last one). The field is emptied when the dialog closes."""

    def __init__(self, location: str, wrong: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("serverPasswordDialog")
        self.setWindowTitle(tr("Adgangskode til serveren", "Password for the server"))
        self.field = QLineEdit()
        self.field.setObjectName("serverPassword")
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setAccessibleName(tr("Adgangskode til serveren", "Password for the server"))
        self._password = ""
        box = QVBoxLayout(self)
        box.setSpacing(10)
        asked = QLabel(
            tr(
                f"Serveren «{location}» beder om en adgangskode.",
                f"The server “{location}” asks for a password.",
            )
        )
        asked.setWordWrap(True)
        box.addWidget(asked)
        if wrong:
            refused = QLabel(
                tr(
                    "Serveren afviste adgangskoden. Prøv igen.",
                    "The server rejected the password. Try again.",
                )
            )
            refused.setObjectName("dialogError")
            refused.setWordWrap(True)
            box.addWidget(refused)
        form = QFormLayout()
        form.addRow(tr("&Adgangskode:", "&Password:"), self.field)
        box.addLayout(form)
        box.addWidget(
            hint(
                tr(
                    "Adgangskoden gemmes ikke. Vil du slippe for at skrive den, kan den ligge "
                    "i ~/.pgpass (kun læsbar for dig), som PostgreSQL selv læser.",
                    "The password is not saved. To avoid typing it, it can be kept in "
                    "~/.pgpass (readable only by you), which PostgreSQL reads itself.",
                )
            )
        )
        box.addWidget(ok_cancel(self, tr("&Forbind", "&Connect")))
        _fit(self, box, 480)

    def accept(self) -> None:
        self._password = self.field.text()
        self.field.clear()
        super().accept()

    def reject(self) -> None:
        self.field.clear()
        super().reject()

    def take_password(self) -> str:
        """The password typed, once: the dialog keeps no copy after this."""
        password, self._password = self._password, ""
        return password
