//! The state of a list loaded a page at a time (the related news, the comments): which page comes
//! next, and whether one is on its way. Pure, so that its rules are tested natively; the widget's
//! side (the request, the viewport observer) is `components::paged`.

/// Where the request for the next page stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fetching {
    Idle,
    Busy,
    /// The last request failed: the list offers to retry.
    Failed,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageState {
    /// The address of the next page; `None` once the last one has come.
    pub next: Option<String>,
    pub fetching: Fetching,
    /// A page has come at least once (a list that had none yet shows a placeholder, not "empty").
    pub loaded_once: bool,
}

impl PageState {
    pub fn new(first: Option<String>) -> Self {
        PageState { next: first, fetching: Fetching::Idle, loaded_once: false }
    }

    /// The address to fetch now, if a request may leave: there is a next page and none is on its
    /// way (after a failure, this is the retry).
    pub fn next_to_fetch(&self) -> Option<&str> {
        self.next.as_deref().filter(|_| self.fetching != Fetching::Busy)
    }

    /// A request for the next page left.
    pub fn start(&mut self) {
        self.fetching = Fetching::Busy;
    }

    /// The page came; `next` is the one after it.
    pub fn loaded(&mut self, next: Option<String>) {
        self.next = next;
        self.fetching = Fetching::Idle;
        self.loaded_once = true;
    }

    /// The request failed: the same page stays next.
    pub fn failed(&mut self) {
        self.fetching = Fetching::Failed;
    }

    /// The list starts again from `first` (another order); what came before still counts as loaded.
    pub fn restart(&mut self, first: String) {
        self.next = Some(first);
    }

    pub fn busy(&self) -> bool {
        self.fetching == Fetching::Busy
    }

    pub fn has_next(&self) -> bool {
        self.next.is_some()
    }

    pub fn has_failed(&self) -> bool {
        self.fetching == Fetching::Failed
    }
}
