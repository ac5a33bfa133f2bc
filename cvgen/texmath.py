r"""TeX math from homepages (`$^{\dagger}$`, `$O(n^2)$`, `$\alpha$-helix`), read in a safe subset.

A page's math is user text, so it reaches LaTeX as TeX only when it parses in a small grammar that cannot do
anything but set math: ASCII letters, digits and operators; symbols and Greek letters by name; groups; `^` and
`_` (at most one each per base); `\frac`, `\sqrt`, `\mathbf` and their kind with their braced arguments; `\text`
with plain words. Math outside the subset is shown as its source text. The same parse gives the web page and the
WeasyPrint PDF a readable form: Greek letters and symbols as Unicode, scripts raised and lowered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cvgen.blocks import RawSpan, Subscript, Superscript
from cvgen.markup import Text, merge_text

SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "pi": "π", "varpi": "ϖ", "rho": "ρ", "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ",
    "upsilon": "υ", "phi": "ϕ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ",
    "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ",
    "Omega": "Ω", "dagger": "†", "ddagger": "‡", "star": "⋆", "ast": "∗", "times": "×", "cdot": "·", "pm": "±",
    "mp": "∓", "div": "÷", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈",
    "sim": "∼", "simeq": "≃", "equiv": "≡", "propto": "∝", "infty": "∞", "partial": "∂", "nabla": "∇", "sum": "∑",
    "prod": "∏", "int": "∫", "ldots": "…", "cdots": "⋯", "dots": "…", "in": "∈", "notin": "∉", "subset": "⊂",
    "subseteq": "⊆", "supset": "⊃", "supseteq": "⊇", "cup": "∪", "cap": "∩", "setminus": "∖", "emptyset": "∅",
    "forall": "∀", "exists": "∃", "neg": "¬", "land": "∧", "lor": "∨", "to": "→", "rightarrow": "→",
    "leftarrow": "←", "Rightarrow": "⇒", "Leftarrow": "⇐", "leftrightarrow": "↔", "mapsto": "↦", "mid": "∣",
    "parallel": "∥", "perp": "⊥", "circ": "∘", "bullet": "∙", "prime": "′", "ell": "ℓ", "hbar": "ℏ",
    "log": "log", "ln": "ln", "exp": "exp", "sin": "sin", "cos": "cos", "tan": "tan", "max": "max", "min": "min",
    "arg": "arg", "lim": "lim", "sup": "sup", "inf": "inf", "det": "det", "quad": "\u2003", "qquad": "\u2003\u2003",
    "langle": "⟨", "rangle": "⟩", "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈", "rceil": "⌉", "top": "⊤", "bot": "⊥",
    ",": "\u2009", ";": "\u2005", ":": "\u2005", "!": "", " ": " ", "{": "{", "}": "}", "|": "‖",
}
ONE_ARGUMENT = frozenset(("sqrt", "mathbb", "mathcal", "mathrm", "mathbf", "mathit", "mathsf", "boldsymbol", "hat",
                          "bar", "tilde", "vec", "dot", "ddot", "overline", "underline"))
TEXT_ARGUMENT = frozenset(("text", "textrm", "textbf", "textit", "mbox"))
TWO_ARGUMENTS = frozenset(("frac", "dfrac", "tfrac", "binom"))
MAX_TOKENS = 400
MAX_DEPTH = 12
_TOKEN = re.compile(r"\\[A-Za-z]+|\\[,;:! {}|]|\s+|.", re.DOTALL)
_MATH_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-=*/()[]|,.;:'!<>")
_TEXT_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,;:'!?()-")


@dataclass(frozen=True)
class Atom:
    """A character or a named symbol, as the reader sees it."""

    text: str


@dataclass(frozen=True)
class Group:
    """Atoms in order: a braced group, or the whole formula; `command` names what wraps them (sqrt, mathbf, …)."""

    items: tuple[Node, ...]
    command: str = ""


@dataclass(frozen=True)
class Scripted:
    """A base with a superscript, a subscript, or both."""

    base: Node | None
    superscript: Node | None
    subscript: Node | None


@dataclass(frozen=True)
class Fraction:
    """\\frac and \\binom: a numerator over a denominator."""

    numerator: Node
    denominator: Node


Node = Atom | Group | Scripted | Fraction


class _Refused(Exception):
    pass


class _Reader:
    def __init__(self, tex: str) -> None:
        self.tokens = _TOKEN.findall(tex)
        if len(self.tokens) > MAX_TOKENS:
            raise _Refused
        self.position = 0

    def peek(self) -> str:
        return self.tokens[self.position] if self.position < len(self.tokens) else ""

    def take(self) -> str:
        token = self.peek()
        self.position += 1
        return token

    def skip_space(self) -> None:
        while self.peek().isspace() and self.peek():
            self.position += 1

    def sequence(self, depth: int, closing: str) -> tuple[Node, ...]:
        if depth > MAX_DEPTH:
            raise _Refused
        items: list[Node] = []
        while self.peek() != closing:
            if not self.peek() or self.peek() == "}":
                raise _Refused  # an unbalanced brace
            if self.peek().isspace():
                self.take()
                continue
            items.append(self.scripted(depth))
        self.take()
        return tuple(items)

    def scripted(self, depth: int) -> Node:
        base = None if self.peek() in ("^", "_") else self.atom(depth)
        scripts: dict[str, Node] = {}
        self.skip_space()
        while self.peek() in ("^", "_"):
            mark = self.take()
            if mark in scripts:
                raise _Refused  # a double superscript is a TeX error
            scripts[mark] = self.operand(depth)
            self.skip_space()
        if not scripts:
            assert base is not None
            return base
        return Scripted(base, scripts.get("^"), scripts.get("_"))

    def atom(self, depth: int) -> Node:
        token = self.take()
        if token == "{":
            return Group(self.sequence(depth + 1, "}"))
        name = token[1:] if token.startswith("\\") else ""
        if name in ONE_ARGUMENT:
            return Group(self.group(depth).items, name)
        if name in TEXT_ARGUMENT:
            return Group((Atom(self.text()),), "text")
        if name in TWO_ARGUMENTS:
            return Fraction(self.group(depth), self.group(depth))
        if name in SYMBOLS:
            return Atom(SYMBOLS[name])
        if token in _MATH_CHARACTERS:
            return Atom(token)
        raise _Refused

    def operand(self, depth: int) -> Node:
        self.skip_space()
        token = self.peek()
        if token == "{":
            self.take()
            return Group(self.sequence(depth + 1, "}"))
        if token in _MATH_CHARACTERS or token[1:] in SYMBOLS:
            return self.atom(depth)
        raise _Refused

    def group(self, depth: int) -> Group:
        self.skip_space()
        if self.take() != "{":
            raise _Refused
        return Group(self.sequence(depth + 1, "}"))

    def text(self) -> str:
        self.skip_space()
        if self.take() != "{":
            raise _Refused
        words: list[str] = []
        while self.peek() != "}":
            token = self.take()
            if not token or any(character not in _TEXT_CHARACTERS for character in token):
                raise _Refused
            words.append(token)
        self.take()
        return "".join(words)


def parse_math(tex: str) -> Group | None:
    """The formula as a tree, or None when it is not in the safe subset (then show it as text)."""
    try:
        return Group(_Reader(tex).sequence(0, ""))
    except (_Refused, RecursionError):
        return None


def latex_math(tex: str) -> str | None:
    """The formula as TeX for math mode (white space runs made one space, so no blank line ends a paragraph in
    it), or None when it is not in the safe subset."""
    if parse_math(tex) is None:
        return None
    return "".join(" " if token.isspace() else token for token in _TOKEN.findall(tex))


def readable_math(tex: str) -> tuple[RawSpan, ...]:
    """The formula for a page without TeX: symbols as Unicode, scripts raised and lowered; else its source."""
    tree = parse_math(tex)
    if tree is None:
        return (Text(tex),)
    return tuple(merge_text(_spans(tree)))


def _spans(node: Node) -> list[RawSpan]:
    match node:
        case Atom(text):
            return [Text(text)]
        case Group(items, command):
            inner = [span for item in items for span in _spans(item)]
            return [Text("√("), *inner, Text(")")] if command == "sqrt" else inner
        case Scripted(base, superscript, subscript):
            spans = _spans(base) if base is not None else []
            if superscript is not None:
                spans.append(Superscript(tuple(merge_text(_spans(superscript)))))
            if subscript is not None:
                spans.append(Subscript(tuple(merge_text(_spans(subscript)))))
            return spans
        case Fraction(numerator, denominator):
            return [*_bracketed(numerator), Text("/"), *_bracketed(denominator)]
    raise AssertionError(node)


def _bracketed(node: Node) -> list[RawSpan]:
    spans = _spans(node)
    simple = len(spans) == 1 and isinstance(spans[0], Text) and len(spans[0].text) <= 1
    return spans if simple else [Text("("), *spans, Text(")")]
