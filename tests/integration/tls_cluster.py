"""A throwaway PostgreSQL cluster with ``ssl=on`` and certificates made for the test.

The district's CA signs a server certificate for ``localhost`` and ``127.0.0.1``; a second,
unrelated CA stands for the wrong file on a workstation. The cluster runs as ``postgres``
when the tests run as root (the server refuses root), in a directory of its own under /tmp,
on a free port, and accepts TCP only over TLS (``hostssl``) with a SCRAM password.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import psycopg
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from tests.integration.pg_cluster import INITDB_OPTIONS


def postgres_bin() -> Path | None:
    """The directory of initdb and pg_ctl: on PATH, else the newest Debian install."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return versions[-1].parent if versions else None


@dataclass(frozen=True)
class TlsCluster:
    port: int
    password: str
    ca: Path
    other_ca: Path
    socket_dir: Path

    def url(self, host: str = "localhost", query: str = "", password: bool = True) -> str:
        secret = f":{self.password}" if password else ""
        return f"postgresql+psycopg://postgres{secret}@{host}:{self.port}/postgres{query}"


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _ca(common_name: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(_name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return key, cert


def _server_cert(
    ca_key: ec.EllipticCurvePrivateKey, ca_cert: x509.Certificate
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    san = x509.SubjectAlternativeName(
        [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("localhost"))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(san, critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    return key, cert


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_cluster_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class ClusterProcess:
    """Start with :meth:`start`, always :meth:`stop` (it also removes the directory)."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="infohus-tlstest.", dir="/tmp"))
        self.data = self.root / "data"
        self.started = False

    def _run(self, *args: str) -> None:
        subprocess.run(
            _as_cluster_owner(list(args)),
            check=True,
            cwd="/",
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=60,
        )

    def start(self) -> TlsCluster:
        certs = self.root / "certs"
        sock = self.root / "sock"
        certs.mkdir()
        sock.mkdir()
        ca_key, ca_cert = _ca("Infohus test district CA")
        _other_key, other_cert = _ca("Unrelated CA")
        server_key, server_cert = _server_cert(ca_key, ca_cert)
        (certs / "ca.crt").write_bytes(_pem(ca_cert))
        (certs / "other-ca.crt").write_bytes(_pem(other_cert))
        (certs / "server.crt").write_bytes(_pem(server_cert))
        key_file = certs / "server.key"
        key_file.write_bytes(
            server_key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        key_file.chmod(0o600)  # the server refuses a key others can read
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
            for path in (certs, sock, *certs.iterdir()):
                shutil.chown(path, "postgres", "postgres")
        self.root.chmod(0o711)  # the test (root or owner) reads the CA files
        certs.chmod(0o755)
        self._run(str(self.bin / "initdb"), "-D", str(self.data), *INITDB_OPTIONS)
        # TCP only over TLS; the socket (private to the cluster's directory) for setup.
        hba = (
            "local all all trust\n"
            "hostssl all all 127.0.0.1/32 scram-sha-256\n"
            "hostnossl all all 0.0.0.0/0 reject\n"
        )
        hba_file = self.data / "pg_hba.conf"
        tmp_hba = self.root / "pg_hba.conf.new"
        tmp_hba.write_text(hba, encoding="utf-8")
        if os.geteuid() == 0:
            shutil.chown(tmp_hba, "postgres", "postgres")
        tmp_hba.replace(hba_file)
        port = _free_port()
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {sock} -c ssl=on "
            f"-c ssl_cert_file={certs / 'server.crt'} -c ssl_key_file={key_file} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c autovacuum=off"
        )
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.root / "server.log"),
            "-w",
            "-t",
            "60",
            "-s",
            "-o",
            options,
            "start",
        )
        self.started = True
        password = secrets.token_hex(16)
        with psycopg.connect(
            host=str(sock), port=port, user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(f"ALTER ROLE postgres PASSWORD '{password}'")
        return TlsCluster(port, password, certs / "ca.crt", certs / "other-ca.crt", sock)

    def stop(self) -> None:
        try:
            if self.started:
                subprocess.run(
                    _as_cluster_owner(
                        [str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"]
                    ),
                    cwd="/",
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    timeout=60,
                    check=False,
                )
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
