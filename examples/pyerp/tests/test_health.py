import os
from unittest import mock

from django.db import OperationalError
from django.test import SimpleTestCase, TestCase
from django.urls import reverse


class HealthOkTests(TestCase):
    def test_ok_with_version_from_environment(self):
        with mock.patch.dict(os.environ, {"APP_VERSION": "1.4.2"}):
            response = self.client.get(reverse("health"))

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertEqual(response.json(), {"status": "ok", "version": "1.4.2"})

    def test_version_defaults_to_dev(self):
        with mock.patch.dict(os.environ):
            os.environ.pop("APP_VERSION", None)
            response = self.client.get("/health/")

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["version"], "dev")

    def test_head_is_allowed_and_post_is_not(self):
        self.assertEqual(self.client.head("/health/").status_code, 200)
        self.assertEqual(self.client.post("/health/").status_code, 405)

    def test_never_cached(self):
        response = self.client.get("/health/")
        self.assertIn("no-cache", response["Cache-Control"])


class HealthDatabaseDownTests(SimpleTestCase):
    def test_503_with_reason_when_the_query_fails(self):
        broken = mock.MagicMock()
        broken.cursor.side_effect = OperationalError(2003, "Can't connect to MySQL server on '10.0.0.5'")

        with mock.patch("core.views.connection", broken), self.assertLogs("core.views", "WARNING"):
            response = self.client.get("/health/")

        self.assertEqual(response.status_code, 503)
        body = response.json()
        self.assertEqual(body["status"], "error")
        self.assertEqual(body["reason"], "database unavailable (OperationalError)")
        self.assertIn("version", body)
        # Connection details are logged, never returned.
        self.assertNotIn("10.0.0.5", response.content.decode())
