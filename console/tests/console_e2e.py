#!/usr/bin/python3
"""The web console in headless Chromium against the real tollgate binary.

Usage: console_e2e.py TOLLGATE_BINARY SCREENSHOT_DIR [--docs DOCS_DIR]

Starts tollgate on loopback port 0 with a temp data folder, drives the console with Selenium
(Debian's chromium and chromium-driver; nothing is downloaded) and checks every outcome against
the API or with real curl downloads. Each step saves a screenshot in SCREENSHOT_DIR; with
--docs the four screenshots of docs/console.md are written to DOCS_DIR too. Any JavaScript
error or Content-Security-Policy violation in the browser's log fails the run. Chromium runs
in America/New_York, so times must be shown in the viewer's zone, not the machine's. Exit
status: 0 passed, 1 failed, 77 Chromium, its driver or Selenium is not installed (1 instead
when the CI environment variable is set: a CI machine must run the test).
"""

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

try:
    from selenium import webdriver
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import Select, WebDriverWait
except ImportError:
    webdriver = None

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
EXPECTED_CSP = ("default-src 'self'; script-src 'self'; connect-src 'self'; object-src 'none'; "
                "frame-ancestors 'none'; base-uri 'none'")
PACKAGE_PATH = "pool/agent_2.0_amd64.deb"
PACKAGE_BYTES = b"agent 2.0 package bytes\n" * 64
WAIT_SECONDS = 10
BROWSER_ZONE = "America/New_York"
# What the documentation's screenshot shows instead of a real key.
PLACEHOLDER_KEY = "EXAMPLE-KEY-shown-once-copy-it-now"


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


# --- the server --------------------------------------------------------------------------


class Tollgate:
    """The real binary on free loopback ports, stopped by its pid."""

    def __init__(self, binary, work):
        self.work = work
        self.log_path = os.path.join(work, "tollgate.log")
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [binary, "serve", "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0",
                 "--data-dir", os.path.join(work, "data"),
                 "--artifacts", os.path.join(work, "artifacts"), "--threads", "2"],
                stdout=subprocess.DEVNULL, stderr=log)
        try:
            line = self._wait_for_listening_line()
        except Exception:
            self.stop()
            raise
        self.download = "http://127.0.0.1:" + re.search(r" download=[^ ]*:(\d+)", line).group(1)
        self.admin = "http://127.0.0.1:" + re.search(r" admin=[^ ]*:(\d+)", line).group(1)
        with open(os.path.join(work, "data", "admin-api-key")) as key_file:
            self.admin_key = key_file.readline().strip()

    def _wait_for_listening_line(self):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with open(self.log_path, errors="replace") as log:
                for line in log:
                    if " listening " in line:
                        return line
            check(self.process.poll() is None, "tollgate exited before listening")
            time.sleep(0.1)
        raise Failure("tollgate printed no listening line within 10 s")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def api(self, method, path, body=None, key=None):
        """(status, parsed JSON or None) of an admin API call."""
        request = urllib.request.Request(
            f"{self.admin}/api/v1/{path}", method=method,
            data=None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode()),
            headers={"X-Api-Key": key or self.admin_key, "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                text = response.read()
                return response.status, json.loads(text) if text else None
        except urllib.error.HTTPError as error:
            text = error.read()
            return error.code, json.loads(text) if text else None

    def curl(self, url, user=None):
        """(status, X-Tollgate-Reason) of a GET with real curl."""
        command = ["curl", "-sS", "--max-time", "10", "-o", "/dev/null",
                   "-w", "%{http_code} %header{x-tollgate-reason}"]
        if user:
            command += ["-u", user]
        output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
        status, _, reason = output.partition(" ")
        return int(status), reason.strip()


# --- the browser ---------------------------------------------------------------------------


def set_viewport(driver, width, height, mobile=False):
    """The page's own size (the window's, less nothing), so screenshots are exactly this big."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})


def start_browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,800",
                     "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # Chromium inherits the driver's environment: its local zone is BROWSER_ZONE, whatever the
    # machine's is.
    service = Service(executable_path=CHROMEDRIVER, env={**os.environ, "TZ": BROWSER_ZONE})
    driver = webdriver.Chrome(service=service, options=options)
    set_viewport(driver, 1280, 800)
    return driver


class Console:
    """The console page in the browser, driven as a person would: by labels and button text."""

    def __init__(self, driver, server, screenshots, docs):
        self.driver = driver
        self.server = server
        self.screenshots = screenshots
        self.docs = docs
        self.shots = 0

    def wait(self, condition, what):
        try:
            return WebDriverWait(self.driver, WAIT_SECONDS).until(condition)
        except TimeoutException:
            raise Failure(f"timed out waiting for {what}") from None

    def find(self, xpath, what=None):
        return self.wait(EC.visibility_of_element_located((By.XPATH, xpath)), what or xpath)

    def gone(self, xpath, what):
        self.wait(EC.invisibility_of_element_located((By.XPATH, xpath)), what)

    def click(self, text, scope=""):
        self.wait(EC.element_to_be_clickable(
            (By.XPATH, f"{scope}//*[self::button or self::a][normalize-space()='{text}']")),
            f"a '{text}' button").click()

    def dialog(self, title):
        """The XPath of the open dialog titled `title`, once it is shown."""
        xpath = f"//dialog[@open][.//h2[normalize-space()='{title}']]"
        self.find(xpath, f"the dialog '{title}'")
        return xpath

    def field(self, label, scope=""):
        """The control labelled `label`: named by the label's `for`, or inside the label."""
        label_element = self.wait(EC.presence_of_element_located(
            (By.XPATH, f"{scope}//label[normalize-space()='{label}']")), f"the field '{label}'")
        control = label_element.get_attribute("for")
        if control:
            return self.driver.find_element(By.ID, control)
        return label_element.find_element(By.XPATH, ".//input | .//select | .//textarea")

    def choose(self, label, option_text, scope=""):
        Select(self.field(label, scope)).select_by_visible_text(option_text)

    def fill(self, label, value, scope=""):
        element = self.field(label, scope)
        element.clear()
        element.send_keys(value)

    def open(self, route=""):
        self.driver.get(f"{self.server.admin}/#/{route}")

    def page_text(self):
        return self.driver.find_element(By.TAG_NAME, "body").text

    def everything_in_page(self):
        """The DOM, every input's value and both storages: wherever a secret could hide."""
        return self.driver.execute_script(
            "return document.documentElement.outerHTML"
            " + [...document.querySelectorAll('input, textarea')].map(e => e.value).join(' ')"
            " + JSON.stringify(Object.entries(sessionStorage))"
            " + JSON.stringify(Object.entries(localStorage)) + document.cookie + location.href")

    def keys(self, *keys):
        """Keys pressed on whatever has the focus."""
        ActionChains(self.driver).send_keys(*keys).perform()

    def focused(self):
        return self.driver.switch_to.active_element

    def api_requests(self):
        """The paths under /api/v1/ the page fetched since clear_requests()."""
        return self.driver.execute_script(
            "return performance.getEntriesByType('resource').map(e => new URL(e.name))"
            ".filter(u => u.pathname.startsWith('/api/v1/')).map(u => u.pathname)")

    def clear_requests(self):
        self.driver.execute_script("performance.clearResourceTimings()")

    def screenshot(self, name, docs_name=None):
        self.shots += 1
        self.driver.save_screenshot(os.path.join(self.screenshots, f"{self.shots:02d}-{name}.png"))
        if docs_name and self.docs:
            self.driver.save_screenshot(os.path.join(self.docs, docs_name))

    def assert_clean_log(self, step):
        """No JavaScript error and no CSP violation so far. A 4xx the page asked the API for on
        purpose is logged by Chromium as a failed resource load; only those are skipped."""
        problems = []
        for entry in self.driver.get_log("browser"):
            message = entry["message"]
            if "Content Security Policy" in message or "Content-Security-Policy" in message:
                problems.append(message)
            elif entry["level"] == "SEVERE" and not ("Failed to load resource" in message and "/api/v1/" in message):
                problems.append(message)
        check(not problems, f"{step}: browser log: {problems}")


# --- the steps -----------------------------------------------------------------------------


def console_headers(console):
    """The page is served with the console's security headers."""
    with urllib.request.urlopen(console.server.admin + "/", timeout=10) as response:
        headers = response.headers
        check(headers["Content-Security-Policy"] == EXPECTED_CSP, f"CSP: {headers['Content-Security-Policy']}")
        check(headers["X-Frame-Options"] == "DENY", "X-Frame-Options")
        check(headers["Content-Type"].startswith("text/html"), "Content-Type of /")


def sign_in(console, key, expect_heading="Organization default"):
    console.open()
    console.fill("API key", key)
    console.click("Sign in")
    console.find(f"//h1[normalize-space()='{expect_heading}']", "the overview after signing in")
    check(key not in console.driver.current_url, "the key is in the URL")
    check(not console.driver.get_cookies(), "the console set a cookie")


def keyboard_and_routes(console):
    """The skip link moves focus to the page without leaving it; Escape closes a dialog and
    focus returns to the button that opened it; a hash that names no page (undecodable, or with
    dot segments that URL resolution would fold into another API path) shows "Page not found"
    and asks the API nothing."""
    console.open("services")
    console.driver.refresh()  # a fresh page: the first Tab starts at the top
    heading = "//h1[normalize-space()='Services']"
    console.find(heading)
    console.keys(Keys.TAB)
    check(console.focused().text == "Skip to content", f"the first Tab reached {console.focused().text!r}")
    console.keys(Keys.ENTER)
    console.find(heading, "the page after the skip link")
    check(console.driver.execute_script("return location.hash") == "#/services", "the skip link changed the route")
    check(console.driver.execute_script("return document.activeElement.closest('main') !== null"),
          "the focus is not in <main> after the skip link")
    check("Page not found" not in console.page_text(), "the skip link was taken for a page")

    opener = console.find("//button[normalize-space()='Create service']")
    opener.send_keys(Keys.ENTER)
    form = console.dialog("Create service")
    console.keys(Keys.ESCAPE)
    console.gone(form, "the dialog to close on Escape")
    check(console.focused() == opener, f"the focus went to {console.focused().text!r}, not the opener")

    for route in ("repos/%2E%2E/tokens/%2E%2E", "repos/%2e%2e/tokens", "repos/%E0%A4%A/tokens"):
        console.clear_requests()
        console.open(route)
        console.find("//h1[normalize-space()='Page not found']", f"not found for #/{route}")
        time.sleep(0.3)  # a request the page would make has had time to start
        requests = [path for path in console.api_requests() if path != "/api/v1/user/self"]
        check(not requests, f"#/{route} asked the API for {requests}")
    console.screenshot("page-not-found")


def token_named(console, name, repo="agents"):
    status, tokens = console.server.api("GET", f"entitlements/default/{repo}/?page_size=500")
    check(status == 200, f"list tokens: {status}")
    matches = [token for token in tokens if token["name"] == name]
    check(len(matches) == 1, f"tokens named {name}: {matches}")
    return matches[0]


def edit_sends_only_changes(console):
    """Renaming a token changes its name only: its instants keep their seconds, and a disable
    made elsewhere while the dialog was open is not undone. Its times are shown in the
    browser's zone with UTC on hover."""
    fields = {"name": "edit-probe", "limit_num_clients": 3, "limit_bandwidth": 7, "limit_bandwidth_unit": "megabyte",
              "limit_date_range_from": "2030-01-02T03:04:05Z", "limit_date_range_to": "2031-06-15T10:20:30Z",
              "limit_path_query": "path:releases/**", "scheduled_reset_period": "monthly",
              "metadata": {"customer": "Probe", "tier": 2}}
    status, created = console.server.api("POST", "entitlements/default/agents/", fields)
    check(status == 201, f"create the probe token: {status} {created}")
    before = token_named(console, "edit-probe")

    console.open("repos/agents/tokens")
    console.driver.refresh()  # the list as it is now, with the probe made through the API
    row = "//tr[.//a[normalize-space()='edit-probe']]"
    zone = console.driver.execute_script("return Intl.DateTimeFormat().resolvedOptions().timeZone")
    check(zone == BROWSER_ZONE, f"the browser's zone is {zone}")
    until = console.find(f"{row}//time", "the token's end of validity")
    title = until.get_attribute("title")
    check(title == "2031-06-15 10:20:30 UTC", f"the UTC title is {title!r}")
    check("6:20:30" in until.text and "10:20:30" not in until.text,
          f"{until.text!r} is not 10:20:30 UTC in {BROWSER_ZONE}")

    console.click("Edit", row)
    form = console.dialog("Edit token edit-probe")
    status, _ = console.server.api("POST", f"entitlements/default/agents/{created['identifier']}/disable/")
    check(status == 200, f"disable the probe meanwhile: {status}")
    console.fill("Name", "edit-probe-renamed", form)
    console.click("Save token", form)
    console.gone(form, "the token form to close")
    after = token_named(console, "edit-probe-renamed")
    check(after["is_active"] is False, "saving the form enabled the token again")
    for field in ("limit_num_clients", "limit_bandwidth", "limit_bandwidth_unit", "limit_date_range_from",
                  "limit_date_range_to", "limit_path_query", "limit_package_query", "limit_num_downloads",
                  "scheduled_reset_period", "metadata"):
        check(after[field] == before[field], f"{field}: {before[field]!r} became {after[field]!r}")
    status, _ = console.server.api("DELETE", f"entitlements/default/agents/{created['identifier']}/")
    check(status in (200, 204), f"delete the probe: {status}")


def sign_out(console):
    console.click("Sign out")
    console.find("//h1[normalize-space()='tollgate console']", "the sign-in page")
    check(console.driver.execute_script("return sessionStorage.length") == 0, "the key outlived sign-out")


def create_service_and_read_key_once(console):
    console.open("services")
    console.find("//h1[normalize-space()='Services']")
    console.click("Create service")
    form = console.dialog("Create service")
    console.fill("Name", "ci-bot", form)
    console.fill("Description (optional)", "Publishes agent builds", form)
    console.click("Create service", form)
    shown = console.dialog("API key of ci-bot")
    key = console.field("API key", shown).get_attribute("value")
    check(len(key) >= 20, f"no key shown: {key!r}")
    check("cannot be shown again" in console.find(shown).text, "no copy-it-now warning")
    if console.docs:  # the documentation shows a placeholder, not a key of real format
        console.driver.execute_script("arguments[0].value = arguments[1]", console.field("API key", shown),
                                      PLACEHOLDER_KEY)
    console.screenshot("service-key-shown-once", "create-service-key.png")
    slug = console.find(f"{shown}//p/code").text
    return slug, key, shown


def key_works_on_download_listener(console, slug, key):
    status, _ = console.server.api("PUT", "repos/default/agents/privileges/",
                                   [{"kind": "service", "name": slug, "privilege": "read"}])
    check(status == 200, f"grant read: {status}")
    status, reason = console.server.curl(f"{console.server.download}/basic/default/agents/{PACKAGE_PATH}",
                                         f"{slug}:{key}")
    check(status == 200, f"download with the service key: {status} {reason}")


def key_gone_after_close_and_reload(console, key, shown):
    console.click("I have copied it", shown)
    console.gone(shown, "the key dialog to close")
    check(key not in console.everything_in_page(), "the key is still in the page after the dialog closed")
    if console.docs:  # the documentation's picture shows a list of a few services
        for name, description, role in (("release-pipeline", "Uploads tagged releases", "member"),
                                        ("mirror-sync", "Copies tokens between regions", "manager")):
            console.server.api("POST", "orgs/default/services/",
                               {"name": name, "description": description, "role": role})
    console.driver.refresh()
    console.find("//td[.//code[normalize-space()='ci-bot']]", "the service row after a reload")
    check(key not in console.everything_in_page(), "the key is in the page after a reload")
    console.screenshot("services", "services.png")


def refresh_asks_then_old_key_dies(console, slug, old_key):
    row = f"//tr[.//code[normalize-space()='{slug}']]"
    console.click("Refresh API key", row)
    confirm = console.dialog("Refresh the API key of ci-bot?")
    console.screenshot("refresh-confirmation")
    check(console.server.curl(f"{console.server.download}/basic/default/agents/{PACKAGE_PATH}",
                              f"{slug}:{old_key}")[0] == 200, "the key changed before confirmation")
    console.click("Refresh API key", confirm)
    shown = console.dialog("API key of ci-bot")
    new_key = console.field("API key", shown).get_attribute("value")
    check(new_key and new_key != old_key, "no new key")
    url = f"{console.server.download}/basic/default/agents/{PACKAGE_PATH}"
    check(console.server.curl(url, f"{slug}:{old_key}")[0] == 401, "the old key still works")
    check(console.server.curl(url, f"{slug}:{new_key}")[0] == 200, "the new key does not work")
    console.click("I have copied it", shown)
    console.gone(shown, "the key dialog to close")
    check(new_key not in console.everything_in_page(), "the refreshed key stayed in the page after its dialog closed")
    return new_key


def delete_asks_then_key_dies(console, slug, key):
    row = f"//tr[.//code[normalize-space()='{slug}']]"
    console.click("Delete service", row)
    confirm = console.dialog("Delete service ci-bot?")
    console.screenshot("delete-confirmation")
    status, _ = console.server.api("GET", f"orgs/default/services/{slug}/")
    check(status == 200, "the service was deleted before confirmation")
    console.click("Delete service", confirm)
    console.gone(row, "the service row to disappear")
    status, _ = console.server.api("GET", f"orgs/default/services/{slug}/")
    check(status == 404, f"the service still exists: {status}")
    url = f"{console.server.download}/basic/default/agents/{PACKAGE_PATH}"
    check(console.server.curl(url, f"{slug}:{key}")[0] == 401, "a deleted service's key still works")


def create_token_through_form(console):
    """A bad package query shows the API's own 422 sentence at the field; then a good one."""
    bad_query = "name:agent AND ("
    status, refusal = console.server.api("POST", "entitlements/default/agents/",
                                         {"name": "probe", "limit_package_query": bad_query})
    check(status == 422 and refusal["detail"].startswith("limit_package_query: "), f"probe: {refusal}")
    expected = refusal["detail"][len("limit_package_query: "):]

    console.open("repos/agents/tokens")
    console.click("Create token")
    form = console.dialog("Create entitlement token")
    console.fill("Name", "acme-corp", form)
    console.fill("Download limit", "5", form)
    console.fill("Package query", bad_query, form)
    console.click("Create token", form)
    field = console.field("Package query", form)
    message = console.find(f"{form}//*[@id='{field.get_attribute('id')}-error']", "the query's error").text
    check(message == expected, f"field error {message!r}, API said {expected!r}")
    check(field.get_attribute("aria-invalid") == "true", "the field is not marked invalid")
    console.screenshot("token-query-refused")
    console.fill("Package query", "name:agent", form)
    console.fill("Metadata (JSON object, optional)", '{"customer": "Acme Corp"}', form)
    check(not console.driver.find_elements(By.XPATH, f"{form}//*[contains(@class, 'field-error')]"),
          "the query's error outlived the change")
    console.driver.execute_script("document.querySelector('dialog[open]').scrollTop = 0")
    console.screenshot("token-form", "token-form.png")
    console.click("Create token", form)
    console.gone(form, "the token form to close")
    row = "//tr[.//a[normalize-space()='acme-corp']]"
    check("5 downloads" in console.find(row).text, "the limit is not listed")
    stored = token_named(console, "acme-corp")
    check(stored["limit_num_downloads"] == 5 and stored["limit_package_query"] == "name:agent"
          and stored["metadata"] == {"customer": "Acme Corp"}, f"the form stored {stored}")
    console.click("Show token", row)
    shown = console.dialog("Token acme-corp")
    token = console.field("Token string", shown).get_attribute("value")
    console.click("Close", shown)
    console.gone(shown, "the token dialog to close")
    check(token not in console.everything_in_page(), "the token string stayed in the page")
    return row, token


def usage_page_shows_curl_download(console, token):
    status, reason = console.server.curl(f"{console.server.download}/{token}/default/agents/{PACKAGE_PATH}")
    check(status == 200, f"download with the new token: {status} {reason}")
    console.click("Usage", "//tr[.//a[normalize-space()='acme-corp']]")
    console.find("//h1[normalize-space()='Usage of acme-corp']")
    console.find(f"//td//code[normalize-space()='{PACKAGE_PATH}']", "the download in recent downloads")
    console.find("//dt[normalize-space()='Downloads']/following-sibling::dd[starts-with(normalize-space(), '1')]",
                 "the download counter")
    console.find("//figure[contains(@class, 'chart')]//canvas", "the chart")
    console.screenshot("usage", "usage-chart.png")


def disable_refuses_download(console, row, token):
    console.open("repos/agents/tokens")
    console.click("Disable", row)
    console.find(f"{row}//span[normalize-space()='Disabled']", "the token shown disabled")
    status, reason = console.server.curl(f"{console.server.download}/{token}/default/agents/{PACKAGE_PATH}")
    check((status, reason) == (403, "token_disabled"), f"download of a disabled token: {status} {reason}")
    console.screenshot("token-disabled")


def members_and_teams(console):
    """A member added with a one-time key, a team made and joined, a grant saved for the team."""
    console.open("members")
    console.click("Add member")
    form = console.dialog("Add member")
    console.fill("User name", "alice", form)
    console.click("Add member", form)
    shown = console.dialog("API key of alice")
    alice_key = console.field("API key", shown).get_attribute("value")
    console.click("I have copied it", shown)
    console.gone(shown, "the key dialog to close")
    check(alice_key not in console.everything_in_page(), "alice's key stayed in the page")

    console.open("teams")
    console.click("Create team")
    form = console.dialog("Create team")
    console.fill("Name", "support", form)
    console.click("Create team", form)
    console.gone(form, "the team form to close")
    console.click("Add member", "//tr[.//strong[normalize-space()='support']]")
    form = console.dialog("Add to team support")
    console.fill("User name or service slug", "alice", form)
    console.click("Add to team", form)
    console.find("//tr[.//strong[normalize-space()='support']]//li[contains(., 'alice')]", "alice in the team")
    console.screenshot("teams")

    console.open("repos")
    console.click("Privileges", "//tr[.//strong[normalize-space()='default/agents']]")
    form = console.dialog("Privileges on default/agents")
    console.click("Add grant", form)
    console.choose("Kind of grantee 1", "team", form)
    console.fill("Name of grantee 1", "support", form)
    console.choose("Privilege of grantee 1", "write", form)
    console.screenshot("privileges")
    console.click("Save privileges", form)
    console.gone(form, "the privileges editor to close")
    status, grants = console.server.api("GET", "repos/default/agents/privileges/")
    check({"kind": "team", "name": "support", "privilege": "write"} in grants, f"grants: {grants}")
    return alice_key


def repositories_sync_quota_audit(console):
    """A repository created in the form, the tokens of another synced into it, the quota set
    on the overview, and the audit log listing what happened."""
    console.open("repos")
    console.click("Create repository")
    form = console.dialog("Create repository")
    console.fill("Slug", "agents-eu", form)
    console.click("Create repository", form)
    console.gone(form, "the repository form to close")
    console.click("Entitlement tokens", "//tr[.//strong[normalize-space()='default/agents-eu']]")
    console.find("//*[contains(@class, 'notice-empty')]", "the empty token list")
    console.click("Sync from another repository")
    form = console.dialog("Sync tokens into default/agents-eu")
    console.choose("Source repository", "default/agents", form)
    console.click("Replace tokens", form)
    console.gone(form, "the sync dialog to close")
    console.find("//tr[.//a[normalize-space()='acme-corp']]", "the synced token")

    console.open()
    console.click("Change quota")
    form = console.dialog("Plan quota")
    console.fill("Active tokens allowed", "ten", form)
    console.click("Save quota", form)
    console.find(f"{form}//*[contains(@class, 'field-error')]", "the quota's error at its field")
    console.fill("Active tokens allowed", "10", form)
    console.click("Save quota", form)
    console.gone(form, "the quota form to close")
    console.find("//p[contains(., 'of 10 active tokens used')]", "the quota used / allowed")
    console.screenshot("overview-quota")

    console.open("audit-log")
    for action in ("repository.create", "entitlement.sync", "org.update", "team.create"):
        console.find(f"//td//code[normalize-space()='{action}']", f"{action} in the audit log")
    console.screenshot("audit-log")


def member_with_write_sees_tokens(console, alice_key):
    """A member whose team holds write is offered that repository's tokens, not the others'."""
    sign_out(console)
    sign_in(console, alice_key)
    console.open("repos")
    console.find("//tr[.//strong[normalize-space()='default/agents']]//a[normalize-space()='Entitlement tokens']",
                 "the tokens link of a repository alice may write")
    check(not console.driver.find_elements(By.XPATH, "//button[normalize-space()='Create repository']"),
          "a member is offered repository creation")
    console.click("Entitlement tokens", "//tr[.//strong[normalize-space()='default/agents']]")
    console.find("//tr[.//a[normalize-space()='acme-corp']]", "the token list for alice")


def member_sees_no_services(console):
    status, member = console.server.api("POST", "orgs/default/members/", {"name": "viewer", "role": "member"})
    check(status == 201, f"add member: {status}")
    sign_out(console)
    sign_in(console, member["key"])
    nav = console.find("//nav[@aria-label='Console']").text
    check("Services" not in nav and "Audit log" not in nav, f"a member is offered: {nav}")
    console.open("services")
    console.find("//main//p[contains(., 'owners and managers may use this page')]", "the explanation")
    console.screenshot("member-services-refused")
    console.open("repos/agents/tokens")  # the API refuses the list: 403, explained in words
    refusal = console.find("//main//*[@role='alert'][contains(., 'You do not have permission')]",
                           "the API's refusal in words").text
    check(".." not in refusal, f"the refusal reads {refusal!r}")
    console.open("repos")
    console.find("//*[contains(@class, 'notice-empty')]", "the empty repository list")
    check("Entitlement tokens" not in console.page_text(), "a member is offered tokens")


def phone_layout(console):
    """At 390 px wide nothing is wider than the screen."""
    set_viewport(console.driver, 390, 844, mobile=True)
    console.open("repos")
    console.find("//h1[normalize-space()='Repositories']")
    overflow = console.driver.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    check(overflow <= 0, f"the page is {overflow} px wider than a phone")
    console.screenshot("phone")
    set_viewport(console.driver, 1280, 800)


def run(console):
    server = console.server
    check(server.api("POST", "repos/default/", {"slug": "agents", "repository_type": "private"})[0] == 201,
          "create repository")
    check(server.api("PUT", f"packages/default/agents/files/{PACKAGE_PATH}", PACKAGE_BYTES)[0] == 201,
          "upload the package")

    steps = []

    def step(name, action, *args):
        started = time.monotonic()
        try:
            result = action(*args)
            console.assert_clean_log(name)
        except Exception:
            console.screenshot(f"FAILED-{name}")
            raise
        steps.append((name, time.monotonic() - started))
        print(f"ok: {name} ({steps[-1][1]:.1f} s)", flush=True)
        return result

    step("console_headers", console_headers, console)
    step("sign_in", sign_in, console, server.admin_key)
    step("keyboard_and_routes", keyboard_and_routes, console)
    slug, key, shown = step("create_service_key_once", create_service_and_read_key_once, console)
    step("service_key_downloads", key_works_on_download_listener, console, slug, key)
    step("key_gone_after_reload", key_gone_after_close_and_reload, console, key, shown)
    new_key = step("refresh_confirms_old_key_dies", refresh_asks_then_old_key_dies, console, slug, key)
    step("delete_confirms", delete_asks_then_key_dies, console, slug, new_key)
    row, token = step("token_form_limit_query_422", create_token_through_form, console)
    step("edit_sends_only_changes", edit_sends_only_changes, console)
    step("usage_page_shows_download", usage_page_shows_curl_download, console, token)
    step("disable_refuses_download", disable_refuses_download, console, row, token)
    step("phone_layout", phone_layout, console)
    alice_key = step("members_teams_privileges", members_and_teams, console)
    step("repositories_sync_quota_audit", repositories_sync_quota_audit, console)
    step("member_with_write_sees_tokens", member_with_write_sees_tokens, console, alice_key)
    step("member_sees_no_services", member_sees_no_services, console)
    return steps


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("tollgate")
    parser.add_argument("screenshots")
    parser.add_argument("--docs", help="also write the documentation's screenshots here")
    args = parser.parse_args()
    if webdriver is None or not CHROMIUM or not CHROMEDRIVER:
        missing = "chromium, chromium-driver and python3-selenium (deploy/install-deps.sh)"
        if os.environ.get("CI"):
            print(f"FAIL: CI is set and this machine lacks {missing}", file=sys.stderr)
            return 1
        print(f"SKIP: needs {missing}")
        return 77
    os.makedirs(args.screenshots, exist_ok=True)
    for old in os.listdir(args.screenshots):  # a failed run's pictures must not outlive it
        if old.endswith(".png"):
            os.remove(os.path.join(args.screenshots, old))
    if args.docs:
        os.makedirs(args.docs, exist_ok=True)

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="tollgate-console-") as work:
        server = driver = None
        try:
            server = Tollgate(args.tollgate, work)
            driver = start_browser()
            steps = run(Console(driver, server, args.screenshots, args.docs))
        except Exception as failure:  # a Failure, or Selenium's or the API's own error
            what = str(failure) if isinstance(failure, Failure) else f"{type(failure).__name__}: {failure}"
            print(f"FAIL: {what}", file=sys.stderr)
            with contextlib.suppress(OSError), open(os.path.join(work, "tollgate.log"), errors="replace") as log:
                print("--- tollgate log (tail) ---", *log.readlines()[-40:], sep="", file=sys.stderr)
            return 1
        finally:
            with contextlib.suppress(Exception):
                if driver:
                    driver.quit()
            if server:
                server.stop()
    print(f"{len(steps)} passed, 0 failed ({time.monotonic() - started:.1f} s; screenshots in {args.screenshots})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
