//! The widget's views. They only arrange what the model decided; they hold no parsing or rules.

pub mod article;
pub mod body;
pub mod comments;
pub mod dom;
pub mod embed;
pub mod figure;
pub mod inline;
pub mod on_demand;
pub mod paged;
pub mod related;
pub mod status;
pub mod table;
pub mod widget;

pub use article::{write_article, Presentation};
pub use widget::mount_widget;
