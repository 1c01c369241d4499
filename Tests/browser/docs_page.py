"""Drives the api's /docs page in Debian's headless Chromium, as a person would (scripts/test-browser.sh).

Opens the API's root (it must redirect to /docs), waits for Swagger UI to render the three data
endpoints from /openapi.json, expands GET /recommendations/{advertiser}/{model}, clicks "Try it out",
fills the advertiser and the model, clicks "Execute" and checks the rendered response: code 200 and a
body naming the advertiser with a non-empty list. Then it fails on any error in the browser's console
(a Content-Security-Policy violation, a file that did not load) and saves a full-page screenshot.

Usage: python docs_page.py API_URL ADVERTISER SCREENSHOT_PNG
Every failure exits non-zero naming the step that failed; a screenshot of the page at that moment
is saved beside SCREENSHOT_PNG as *-failed.png.
"""
import json
import pathlib
import sys

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

DATA_PATHS = ["/recommendations/{advertiser}/{model}", "/history/{advertiser}", "/stats"]
OPERATION = DATA_PATHS[0]
WAIT_SECONDS = 30


class Failure(Exception):
    pass


def step(driver, what, condition):
    """Waits up to WAIT_SECONDS for `condition`; a time-out fails naming `what`."""
    try:
        return WebDriverWait(driver, WAIT_SECONDS).until(condition)
    except WebDriverException as error:
        raise Failure(f"{what}: not seen within {WAIT_SECONDS} s ({type(error).__name__})") from None


def operation(driver, path):
    return driver.find_element(By.XPATH, f'//span[contains(@class, "opblock-summary-path") and @data-path="{path}"]'
                                         '/ancestor::div[contains(@class, "opblock ")][1]')


def full_page_screenshot(driver, png):
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, min(max(height, 900), 6000))
    driver.execute_script("window.scrollTo(0, 0)")
    driver.save_screenshot(str(png))


def run(driver, api, advertiser, png):
    driver.get(api + "/")
    step(driver, "the redirect from / to /docs", EC.url_to_be(api + "/docs"))
    for path in DATA_PATHS:
        step(driver, f"the operation {path} rendered from /openapi.json",
             EC.presence_of_element_located((By.CSS_SELECTOR, f'.opblock-summary-path[data-path="{path}"]')))

    block = operation(driver, OPERATION)
    block.find_element(By.CSS_SELECTOR, ".opblock-summary").click()
    step(driver, f'the "Try it out" button of {OPERATION}',
         lambda d: operation(d, OPERATION).find_element(By.CSS_SELECTOR, ".try-out__btn")).click()
    values = {"advertiser": advertiser, "model": "TopCTR"}
    for name, value in values.items():
        field = step(driver, f"the input of parameter {name}",
                     lambda d: operation(d, OPERATION).find_element(
                         By.CSS_SELECTOR, f'tr[data-param-name="{name}"] input'))
        field.clear()
        field.send_keys(value)
    step(driver, 'the "Execute" button', lambda d: operation(d, OPERATION).find_element(
        By.CSS_SELECTOR, ".btn.execute")).click()

    status = step(driver, "the executed request's response code", lambda d: operation(d, OPERATION).find_element(
        By.CSS_SELECTOR, ".live-responses-table .response .response-col_status")).text.strip()
    if not status.startswith("200"):
        raise Failure(f"the executed request answered {status!r}, expected 200")
    text = operation(driver, OPERATION).find_element(
        By.CSS_SELECTOR, ".live-responses-table .response .response-col_description pre").text
    try:
        body = json.loads(text)
    except ValueError:
        raise Failure(f"the rendered response body is not JSON: {text[:200]!r}") from None
    if body.get("advertiser_id") != advertiser or body.get("model") != "TopCTR" or not body.get("items"):
        raise Failure(f"the rendered body is not {advertiser}'s TopCTR list: {text[:300]!r}")
    url = operation(driver, OPERATION).find_element(By.CSS_SELECTOR, ".request-url pre").text
    if not url.startswith(api + "/recommendations/"):
        raise Failure(f"the request went to {url!r}, not to this server ({api})")

    errors = [entry for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]
    if errors:
        raise Failure("errors in the browser's console:\n" + "\n".join(e["message"] for e in errors))

    # For a compact picture: the documented responses (long example tables) are hidden, so the three
    # data endpoints and the executed request's 200 fit one screenshot taken from the top.
    driver.execute_script("""
        for (const table of document.querySelectorAll(".responses-table:not(.live-responses-table)")) {
            table.style.display = "none";
        }""")
    full_page_screenshot(driver, png)
    print(f"[browser] /docs: {len(DATA_PATHS)} data operations rendered; Try it out on {OPERATION} with "
          f"advertiser {advertiser}: HTTP {status.split()[0]}, {len(body['items'])} items ({url}); "
          f"screenshot {png}", file=sys.stderr)


def main():
    api, advertiser, png = sys.argv[1].rstrip("/"), sys.argv[2], pathlib.Path(sys.argv[3])
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,900", "--no-first-run", "--disable-extensions"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        run(driver, api, advertiser, png)
    except Failure as failure:
        failed = png.with_name(png.stem + "-failed.png")
        try:
            full_page_screenshot(driver, failed)
        except WebDriverException:
            pass
        sys.exit(f"[browser] error: {failure} (page at that moment: {failed})")
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
