"""File -> Connect to team project...: where the server is, who you are, how to secure it.

The dialog builds a ``postgresql://`` address without the password; the password goes to
the connection directly and, when the user asks and the system has one, to the keyring.
"""

from __future__ import annotations

from urllib.parse import quote, unquote, urlsplit

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.server import redact

TLS_MODES = ("prefer", "require", "verify-ca", "verify-full", "disable")
TLS_HELP = {
    "prefer": "TLS if the server offers it (not checked)",
    "require": "always TLS; the certificate is not checked",
    "verify-ca": "TLS with a certificate from a trusted authority",
    "verify-full": "TLS, trusted certificate, and the host name matches (safest)",
    "disable": "no TLS: only on one machine or a trusted network",
}


class ConnectDialog(QDialog):
    """Host, port, database, user, TLS mode and password of a team project."""

    def __init__(
        self, parent: QWidget | None = None, *, url: str = "", keyring_available: bool = False
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Connect to team project")
        self.host = QLineEdit("localhost", self)
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit(self)
        self.user = QLineEdit(self)
        self.tls = QComboBox(self)
        for mode in TLS_MODES:
            self.tls.addItem(f"{mode} — {TLS_HELP[mode]}", mode)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox("Remember the password in the system keyring", self)
        self.remember.setEnabled(keyring_available)
        if not keyring_available:
            self.remember.setToolTip("No system keyring is available; the password is not kept.")
        form = QFormLayout()
        form.addRow("Server (host):", self.host)
        form.addRow("Port:", self.port)
        form.addRow("Database:", self.database)
        form.addRow("User (login):", self.user)
        form.addRow("Security (TLS):", self.tls)
        form.addRow("Password:", self.password)
        form.addRow("", self.remember)
        note = QLabel(
            "Your lead gives you the server, database, login and password. "
            "The password is never written to the project or to a settings file.",
            self,
        )
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Connect")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        for field in (self.host, self.database, self.user):
            field.textChanged.connect(self._check)
        if url:
            self.set_url(url)
        self._check()
        self.resize(520, self.sizeHint().height())

    def _check(self) -> None:
        ok = all(f.text().strip() for f in (self.host, self.database, self.user))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def set_url(self, url: str) -> None:
        """Fill the fields from an address (its password, if any, is ignored)."""
        parts = urlsplit(redact(url))
        self.host.setText(parts.hostname or "localhost")
        self.port.setValue(parts.port or 5432)
        self.database.setText(unquote(parts.path.lstrip("/")))
        self.user.setText(unquote(parts.username or ""))
        for item in parts.query.split("&"):
            key, _, value = item.partition("=")
            if key == "sslmode" and value in TLS_MODES:
                self.tls.setCurrentIndex(TLS_MODES.index(value))

    def url(self) -> str:
        """The address the fields describe, without the password."""
        host = self.host.text().strip()
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"
        user = quote(self.user.text().strip(), safe="")
        database = quote(self.database.text().strip(), safe="")
        mode = self.tls.currentData()
        return f"postgresql://{user}@{host}:{self.port.value()}/{database}?sslmode={mode}"
