fn main() {
    println!("access-console");
}
