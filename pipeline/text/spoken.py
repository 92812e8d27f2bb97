r"""What is on screen, in words a screen reader reads well: ``f'(-2) = -4`` is "f prime of minus 2 equals minus 4".

Works on the TeX a clip shows (``Shown.tex``) and on plain text alike: fractions, powers,
subscripts, primes, Greek letters, norms, matrices and operators become words; a name followed
by brackets is read "of" (function application); other brackets stay for the reader to pause on.
"""

from __future__ import annotations

import re

#: TeX commands read as a word (or dropped, as spacing).
WORDS = {
    r"\approx": " is approximately ",
    r"\cdot": " times ",
    r"\times": " times ",
    r"\leq": " is at most ",
    r"\geq": " is at least ",
    r"\neq": " is not ",
    r"\to": " goes to ",
    r"\rightarrow": " goes to ",
    r"\leftarrow": " becomes ",
    r"\partial": " partial ",
    r"\infty": " infinity ",
    r"\ldots": " and so on ",
    r"\nabla": " gradient of ",
    r"\cdots": " and so on ",
    r"\circ": " composed with ",  # a power ^\circ reads "degrees" (POWERS)
    r"\left": "",
    r"\right": "",
    r"\big": "",
    r"\bigl": "",
    r"\bigr": "",
    r"\Big": "",
    r"\Bigl": "",
    r"\Bigr": "",
    r"\quad": " ",
    r"\,": " ",
    r"\;": " ",
    r"\ ": " ",
    r"\!": "",
}
#: The commands of ``WORDS``, longest first; a named command only where no letter follows (``\to``, not ``\top``).
COMMANDS = re.compile(
    "|".join(
        re.escape(command) + (r"(?![A-Za-z])" if command[1:].isalpha() else "")
        for command in sorted(WORDS, key=len, reverse=True)
    )
)
GREEK = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "varepsilon",
    "zeta",
    "eta",
    "theta",
    "iota",
    "kappa",
    "lambda",
    "mu",
    "nu",
    "xi",
    "pi",
    "rho",
    "sigma",
    "tau",
    "upsilon",
    "phi",
    "varphi",
    "chi",
    "psi",
    "omega",
    "Gamma",
    "Delta",
    "Theta",
    "Lambda",
    "Xi",
    "Pi",
    "Sigma",
    "Phi",
    "Psi",
    "Omega",
]
FUNCTIONS = ["sin", "cos", "tan", "exp", "log", "ln", "sinh", "cosh", "tanh", "sqrt", "det", "max", "min"]
SYMBOLS = {
    "=": " equals ",
    "≈": " is approximately ",
    "+": " plus ",
    "·": " times ",
    "×": " times ",
    "<": " is less than ",
    ">": " is greater than ",
    "≤": " is at most ",
    "≥": " is at least ",
    "−": " minus ",
    "/": " over ",
    "∇": " gradient of ",
    "∂": " partial ",
    "°": " degrees ",
    "θ": " theta ",
    "η": " eta ",
    "λ": " lambda ",
    "σ": " sigma ",
    "ε": " epsilon ",
    "Δ": " delta ",
}
POWERS = {
    "2": " squared",
    "3": " cubed",
    r"\circ": " degrees",
    "*": " star",
    r"\prime": " prime",
    r"\top": " transposed",
    "T": " transposed",
}


def spoken(text: str) -> str:
    """``text`` (TeX or plain) read aloud, as words."""
    text = _matrices(text)
    text = re.sub(r"\\(?:text|mathrm|operatorname)\{([^{}]*)\}", r" \1 ", text)
    text = re.sub(r"\\hat\s*(?:\{(\\?[A-Za-z]+)\}|(\\[A-Za-z]+|[A-Za-z]))", lambda m: f"{m[1] or m[2]} hat", text)
    text = re.sub(r"\\sum_(?:\{([A-Za-z])\}|([A-Za-z]))", lambda m: f" the sum over {m[1] or m[2]} of ", text)
    text = re.sub(r"\\\|(.*?)\\\|", r" the norm of \1 ", text)
    text = re.sub(r"‖(.*?)‖", r" the norm of \1 ", text).replace("ŷ", "y hat")
    for _ in range(8):  # innermost groups first
        text = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", _fraction, text)
        text = re.sub(r"\\sqrt\{([^{}]*)\}", r" the square root of (\1)", text)
        text = re.sub(r"\^\{([^{}]*)\}|\^(\\[A-Za-z]+|-?\w|\*)", _power, text)
        text = re.sub(r"_\{([^{}]*)\}|_(\w)", lambda m: f" sub {m[1] or m[2]} ", text)
        text = re.sub(r"\{(\\left\([^{}]*\\right\))\}", r"\1", text)  # a function's argument: \cos{\left(1\right)}
    text = COMMANDS.sub(lambda found: WORDS[found[0]], text)
    text = re.sub(r"\\(" + "|".join(GREEK) + r")(?![A-Za-z])", r" \1 ", text)
    text = re.sub(r"\\(" + "|".join(FUNCTIONS) + r")(?![A-Za-z])", r" \1", text)
    text = re.sub(r"(\w)''", r"\1 double prime", text)
    text = re.sub(r"(\w)'", r"\1 prime", text)
    text = re.sub(r"\\([A-Za-z]+)", r" \1 ", text)  # any other command: its name
    text = _applications(text.replace("{", "").replace("}", ""))
    text = re.sub(r"(?<![A-Za-z])-|-(?![A-Za-z])", " minus ", text)
    for symbol, word in SYMBOLS.items():
        text = text.replace(symbol, word)
    text = re.sub(r"\s+([,:;.)])", r"\1", " ".join(text.split()))
    return re.sub(r"\(\s+", "(", text)


def _fraction(found: re.Match[str]) -> str:
    top, bottom = found[1].strip(), found[2].strip()
    derivative = re.compile(r"^(d|\\partial)\s*")
    if derivative.match(top) and derivative.match(bottom):  # dy/dx: "d y by d x"
        return f" {_split_d(top)} by {_split_d(bottom)} "
    return f" {_grouped(top)} over {_grouped(bottom)} "


def _grouped(part: str) -> str:
    """A fraction's part read as one: ``2 y`` as "(2 y)", so that x over (2 y) is not (x over 2) y."""
    return part if re.fullmatch(r"-?[\w.]+|\\[A-Za-z]+|\(.*\)", part) else f"({part})"


def _split_d(text: str) -> str:
    return re.sub(r"^d(?=[A-Za-z])", "d ", text)


def _power(found: re.Match[str]) -> str:
    exponent = (found[1] or found[2] or "").strip()
    return POWERS.get(exponent, f" to the power {exponent}")


def _matrices(text: str) -> str:
    def matrix(found: re.Match[str]) -> str:
        rows = [", ".join(cell.strip() for cell in row.split("&")) for row in found[1].split("\\\\")]
        return " the matrix with rows " + "; ".join(rows) + " "

    return re.sub(r"(?:\\left\[)?\\begin\{matrix\}(.*?)\\end\{matrix\}(?:\\right\])?", matrix, text)


#: What a bracket after is an argument list: one letter (f, J sub F), a prime, a hat, or a function's name
#: (squared or cubed: cosh squared of 1).
APPLIED = re.compile(r"(?:^|[^A-Za-z\\])(?:[A-Za-z]|prime|hat|(?:" + "|".join(FUNCTIONS) + r")(?: squared| cubed)?)$")


def _applications(text: str) -> str:
    """``f(x)`` as "f of x", ``f prime(x)`` as "f prime of x"; other brackets kept."""
    out, stack = [], []
    for index, char in enumerate(text):
        if char == "(":
            before = text[:index].rstrip()
            applied = bool(APPLIED.search(before))
            stack.append(applied)
            out.append(" of " if applied else "(")
        elif char == ")" and stack:
            out.append("" if stack.pop() else ")")
        else:
            out.append(char)
    return "".join(out)
